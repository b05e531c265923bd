/// The classic (unaggregated) discovery documents that kubectl and client-go read to map
/// kinds to resources: `/version`, `/api`, `/apis`, `/apis/<group>` and the resource lists.
struct DiscoveryDocuments: Sendable {
    let catalog: ResourceCatalog

    /// The Kubernetes version this server's API behaviour follows.
    static let emulatedMajor = "1"
    static let emulatedMinor = "32"

    /// `/version`. The `gitVersion` says which Kubernetes release the behaviour follows and
    /// that this is the test server, not a real build of it.
    var version: JSONValue {
        [
            "major": .string(Self.emulatedMajor),
            "minor": .string(Self.emulatedMinor),
            "gitVersion": .string("v\(Self.emulatedMajor).\(Self.emulatedMinor).0-kube-test-server"),
            "gitCommit": "",
            "gitTreeState": "",
            "buildDate": "",
            "goVersion": "",
            "compiler": "swift",
            "platform": .string(Self.platform),
        ]
    }

    private static var platform: String {
        #if os(Linux)
        let system = "linux"
        #else
        let system = "darwin"
        #endif
        #if arch(arm64)
        return "\(system)/arm64"
        #else
        return "\(system)/amd64"
        #endif
    }

    /// `/api`: the core group's versions and the address clients should use.
    func coreVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    /// `/apis`: every named group with its versions.
    var groupList: JSONValue {
        let groups = Set(catalog.groupVersions.map(\.group).filter { !$0.isEmpty }).sorted()
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map(groupEntry))]
    }

    /// `/apis/<group>`.
    func group(_ name: String) -> JSONValue {
        var entry = groupEntry(name)
        entry["kind"] = "APIGroup"
        entry["apiVersion"] = "v1"
        return entry
    }

    private func groupEntry(_ name: String) -> JSONValue {
        let versions: [JSONValue] = catalog.groupVersions.filter { $0.group == name }.map {
            ["groupVersion": .string("\(name)/\($0.version)"), "version": .string($0.version)]
        }
        return ["name": .string(name), "versions": .array(versions), "preferredVersion": versions.first ?? [:]]
    }

    /// `/api/v1` or `/apis/<group>/<version>`: the resources and subresources served there.
    func resourceList(group: String, version: String) -> JSONValue {
        let resources = catalog.definitions(group: group, version: version).flatMap(\.discoveryEntries)
        var list: JSONValue = [
            "kind": "APIResourceList",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(resources),
        ]
        if !group.isEmpty { list["apiVersion"] = "v1" }
        return list
    }
}
