/// Where a kind of object lives in the API (group, version, plural) and how it behaves
/// (namespaced, status subresource). The typed entry points of ``KubeClient`` take one.
public struct ResourceType: Sendable, Hashable, CustomStringConvertible {
    public let group: String
    public let version: String
    public let plural: String
    public let kind: String
    public let namespaced: Bool
    public let hasStatusSubresource: Bool

    public init(group: String, version: String, plural: String, kind: String, namespaced: Bool = true,
                hasStatusSubresource: Bool = false) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
        self.hasStatusSubresource = hasStatusSubresource
    }

    public static let secrets = ResourceType(group: "", version: "v1", plural: "secrets", kind: "Secret")
    public static let services = ResourceType(group: "", version: "v1", plural: "services", kind: "Service")
    public static let events = ResourceType(group: "", version: "v1", plural: "events", kind: "Event")
    public static let leases = ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease")
    public static let sealedSecrets = ResourceType(group: "bitnami.com", version: "v1alpha1", plural: "sealedsecrets",
                                                   kind: "SealedSecret", hasStatusSubresource: true)

    /// `v1` or `group/version`, as in an object's `apiVersion`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The collection path, in one namespace or (nil) across all namespaces.
    func collectionPath(namespace: String?) -> String {
        let root = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        guard namespaced, let namespace else { return "\(root)/\(plural)" }
        return "\(root)/namespaces/\(PathEscaping.segment(namespace))/\(plural)"
    }

    func objectPath(namespace: String?, name: String) -> String {
        "\(collectionPath(namespace: namespace))/\(PathEscaping.segment(name))"
    }

    public var description: String { group.isEmpty ? plural : "\(plural).\(group)" }
}

/// Percent-encoding for URL path segments and query values (names are DNS labels in practice,
/// but selectors and continue tokens carry arbitrary characters).
enum PathEscaping {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    static func segment(_ text: String) -> String { escape(text, extra: ":@") }
    static func query(_ text: String) -> String { escape(text, extra: "") }

    private static func escape(_ text: String, extra: String) -> String {
        let allowed = unreserved.union(extra.utf8)
        var output = ""
        for byte in text.utf8 {
            if allowed.contains(byte) {
                output.append(Character(Unicode.Scalar(byte)))
            } else {
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
