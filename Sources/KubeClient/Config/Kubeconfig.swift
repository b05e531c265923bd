public import Foundation
public import SealKit

/// The parts of kubeconfig files SealKit reads, merged the way kubectl merges them: files from
/// `--kubeconfig`, else every file in `KUBECONFIG`, else `~/.kube/config`; for each named
/// context (and `current-context`) the first file that sets it wins.
public struct Kubeconfig: Sendable {
    public struct Context: Sendable, Equatable {
        public var cluster: String?
        public var user: String?
        public var namespace: String?
    }

    public var currentContext: String?
    public var contexts: [String: Context]
    /// Raw `clusters[].cluster` and `users[].user` entries by name, for the API client.
    public var clusters: [String: Mapping]
    public var users: [String: Mapping]
    /// The file each cluster and user came from, so relative paths in it resolve against that file.
    public var clusterSources: [String: String]
    public var userSources: [String: String]
    /// The files that were read, in merge order (relative paths in them resolve against their file).
    public var files: [String]

    public init() {
        contexts = [:]
        clusters = [:]
        users = [:]
        clusterSources = [:]
        userSources = [:]
        files = []
    }

    /// Loads and merges kubeconfig files. Missing files in `KUBECONFIG` are skipped (as kubectl
    /// does); a missing explicit `--kubeconfig` file is an error.
    public static func load(explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(KubeError) -> Kubeconfig
    {
        var config = Kubeconfig()
        let paths: [String]
        if let explicitPath {
            guard FileManager.default.fileExists(atPath: explicitPath) else {
                throw KubeError(.configuration, "kubeconfig \(explicitPath) does not exist")
            }
            paths = [explicitPath]
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            paths = list.split(separator: ":").map(String.init)
        } else if let home = environment["HOME"] {
            paths = [home + "/.kube/config"]
        } else {
            paths = []
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                try config.merge(YAMLReader.documents(Array(data)).first?.root, file: path)
            } catch let error as YAMLError {
                throw KubeError(.configuration, "kubeconfig \(path): \(error)")
            } catch {
                throw KubeError(.configuration, "kubeconfig \(path): \(error)")
            }
            config.files.append(path)
        }
        return config
    }

    /// The namespace of `context` (or the current context), if the kubeconfig sets one.
    public func namespace(context: String?) -> String? {
        guard let name = context ?? currentContext, let namespace = contexts[name]?.namespace, !namespace.isEmpty else {
            return nil
        }
        return namespace
    }

    private mutating func merge(_ root: Node?, file: String) throws(KubeError) {
        guard let root, let object = root.mapping else { return }
        if currentContext == nil, let current = object["current-context"]?.scalar?.text, !current.isEmpty {
            currentContext = current
        }
        for entry in Self.namedEntries(object["contexts"], field: "context") where contexts[entry.name] == nil {
            contexts[entry.name] = Context(
                cluster: entry.body["cluster"]?.scalar?.text,
                user: entry.body["user"]?.scalar?.text,
                namespace: entry.body["namespace"]?.scalar?.text
            )
        }
        for entry in Self.namedEntries(object["clusters"], field: "cluster") where clusters[entry.name] == nil {
            clusters[entry.name] = entry.body
            clusterSources[entry.name] = file
        }
        for entry in Self.namedEntries(object["users"], field: "user") where users[entry.name] == nil {
            users[entry.name] = entry.body
            userSources[entry.name] = file
        }
    }

    private static func namedEntries(_ node: Node?, field: String) -> [(name: String, body: Mapping)] {
        (node?.sequence ?? []).compactMap { item in
            guard let mapping = item.mapping, let name = mapping["name"]?.scalar?.text else { return nil }
            return (name, mapping[field]?.mapping ?? Mapping())
        }
    }
}
