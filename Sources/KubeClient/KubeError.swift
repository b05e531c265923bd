/// A failed Kubernetes API call. Carries the API server's own `Status` message (for example
/// `secrets "db" is forbidden: User "x" cannot get resource "secrets" …`) so users see what
/// the cluster said, plus the HTTP code and reason for callers that branch on them.
public struct KubeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The API server answered with an error status.
        case status(code: Int, reason: String)
        /// The server could not be reached or the connection broke.
        case transport
        /// The answer was not what the API promises (not JSON, wrong shape).
        case invalidResponse
        /// Local configuration (kubeconfig, service account) is missing or unusable.
        case configuration
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public var statusCode: Int? {
        if case .status(let code, _) = kind { return code }
        return nil
    }

    /// 409 with reason `Conflict`: the object changed since it was read; re-read and retry.
    public var isConflict: Bool { statusCode == 409 && reason != "AlreadyExists" }
    public var isAlreadyExists: Bool { statusCode == 409 && reason == "AlreadyExists" }
    public var isNotFound: Bool { statusCode == 404 }
    /// 410: the requested resourceVersion is too old; list again.
    public var isGone: Bool { statusCode == 410 }
    public var isForbidden: Bool { statusCode == 403 }

    public var reason: String? {
        if case .status(_, let reason) = kind { return reason }
        return nil
    }
}
