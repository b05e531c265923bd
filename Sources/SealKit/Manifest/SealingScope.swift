/// Who may decrypt a value: the scope is cryptographically bound through the RSA-OAEP label,
/// so a value sealed for `prod/db` cannot be replayed as `dev/db` (DESIGN 1.2).
public enum SealingScope: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Only a SealedSecret with this exact name and namespace (label `namespace/name`).
    case strict
    /// Any name within the namespace (label `namespace`).
    case namespaceWide = "namespace-wide"
    /// Any name in any namespace (empty label).
    case clusterWide = "cluster-wide"

    public static let namespaceWideAnnotation = "sealedsecrets.bitnami.com/namespace-wide"
    public static let clusterWideAnnotation = "sealedsecrets.bitnami.com/cluster-wide"

    /// The scope declared by an object's annotations; cluster-wide wins when both are set.
    public init(annotations: [String: String]) {
        if annotations[Self.clusterWideAnnotation] == "true" {
            self = .clusterWide
        } else if annotations[Self.namespaceWideAnnotation] == "true" {
            self = .namespaceWide
        } else {
            self = .strict
        }
    }

    /// The OAEP label for an object named `name` in `namespace`.
    public func label(namespace: String, name: String) -> [UInt8] {
        switch self {
        case .strict: Array("\(namespace)/\(name)".utf8)
        case .namespaceWide: Array(namespace.utf8)
        case .clusterWide: []
        }
    }

    /// `annotations` with exactly this scope's marker (and no other scope marker).
    public func applied(to annotations: [String: String]) -> [String: String] {
        var result = annotations
        result[Self.namespaceWideAnnotation] = nil
        result[Self.clusterWideAnnotation] = nil
        switch self {
        case .strict: break
        case .namespaceWide: result[Self.namespaceWideAnnotation] = "true"
        case .clusterWide: result[Self.clusterWideAnnotation] = "true"
        }
        return result
    }

    public var description: String { rawValue }
}
