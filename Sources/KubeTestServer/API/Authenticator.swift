import Foundation
import Hummingbird

/// Who a request acts as. Administrators (configured bearer tokens, verified client
/// certificates, or anyone when no authentication is configured) may do everything; a
/// service account may do what RBAC objects in the store grant it.
enum RequestIdentity: Sendable, Equatable {
    case administrator
    case serviceAccount(namespace: String, name: String)

    /// The user name RBAC and 403 messages use.
    func userName(administrator: String) -> String {
        switch self {
        case .administrator: administrator
        case .serviceAccount(let namespace, let name): "system:serviceaccount:\(namespace):\(name)"
        }
    }
}

/// Decides whether a request is authenticated, as the API server's authenticator chain does:
/// a client certificate the TLS handshake verified against the client CA, or a bearer token
/// from the configured sets. With neither configured, every request is allowed (anonymous).
struct Authenticator: Sendable {
    let tokens: Set<String>
    /// Token → the service account it belongs to (`namespace/name`).
    let serviceAccountTokens: [String: String]
    /// Whether the TLS layer verifies client certificates against a client CA.
    let verifiesClientCertificates: Bool

    func authenticate(_ request: Request, context: KubeRequestContext) async throws(KubeAPIError) -> RequestIdentity {
        if tokens.isEmpty && serviceAccountTokens.isEmpty && !verifiesClientCertificates { return .administrator }
        if verifiesClientCertificates, await context.hasPeerCertificate() {
            // NIOSSL only completes the handshake if a presented certificate chains to the CA.
            return .administrator
        }
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let token = parts[1].trimmingCharacters(in: .whitespaces)
                if tokens.contains(token) { return .administrator }
                if let account = serviceAccountTokens[token] {
                    let parts = account.split(separator: "/", maxSplits: 1).map(String.init)
                    if parts.count == 2 { return .serviceAccount(namespace: parts[0], name: parts[1]) }
                }
            }
        }
        throw .unauthorized
    }
}
