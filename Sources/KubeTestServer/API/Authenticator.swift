import Foundation
import Hummingbird

/// Who a request acts as. Administrators (configured bearer tokens, basic-auth users, verified
/// client certificates, or anyone when no authentication is configured) may do everything; a
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
/// a client certificate the TLS handshake verified against the client CA, a bearer token from
/// the accepted sets, or a basic-auth user and password. With none configured, every request
/// is allowed (anonymous).
///
/// The accepted tokens can change while the server runs (``KubeAPIServer/setBearerTokens(_:)``),
/// so tests can revoke a credential and watch a client fetch a new one after the 401.
struct Authenticator: Sendable {
    let tokens: Locked<Set<String>>
    /// Token → the service account it belongs to (`namespace/name`).
    let serviceAccountTokens: [String: String]
    /// Accepted basic-auth passwords by user name.
    let basicCredentials: [String: String]
    /// Whether the TLS layer verifies client certificates against a client CA.
    let verifiesClientCertificates: Bool

    init(tokens: Set<String>, serviceAccountTokens: [String: String] = [:], basicCredentials: [String: String] = [:],
         verifiesClientCertificates: Bool) {
        self.tokens = Locked(tokens)
        self.serviceAccountTokens = serviceAccountTokens
        self.basicCredentials = basicCredentials
        self.verifiesClientCertificates = verifiesClientCertificates
    }

    func authenticate(_ request: Request, context: KubeRequestContext) async throws(KubeAPIError) -> RequestIdentity {
        let tokens = self.tokens.withLock { $0 }
        if tokens.isEmpty && serviceAccountTokens.isEmpty && basicCredentials.isEmpty && !verifiesClientCertificates {
            return .administrator
        }
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
                    let names = account.split(separator: "/", maxSplits: 1).map(String.init)
                    if names.count == 2 { return .serviceAccount(namespace: names[0], name: names[1]) }
                }
            }
            if parts.count == 2, parts[0].lowercased() == "basic",
               let decoded = Data(base64Encoded: String(parts[1])).map({ String(decoding: $0, as: UTF8.self) }),
               let colon = decoded.firstIndex(of: ":"),
               let expected = basicCredentials[String(decoded[..<colon])], expected == String(decoded[decoded.index(after: colon)...]) {
                return .administrator
            }
        }
        throw .unauthorized
    }
}
