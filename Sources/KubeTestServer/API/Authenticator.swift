import Foundation
import Hummingbird

/// Decides whether a request is authenticated, as the API server's authenticator chain does:
/// a client certificate the TLS handshake verified against the client CA, a bearer token from
/// the accepted set, or a basic-auth user and password. With none configured, every request is
/// allowed (anonymous).
///
/// The accepted tokens can change while the server runs (``KubeAPIServer/setBearerTokens(_:)``),
/// so tests can revoke a credential and watch a client fetch a new one after the 401.
struct Authenticator: Sendable {
    let tokens: Locked<Set<String>>
    /// Accepted basic-auth passwords by user name.
    let basicCredentials: [String: String]
    /// Whether the TLS layer verifies client certificates against a client CA.
    let verifiesClientCertificates: Bool

    init(tokens: Set<String>, basicCredentials: [String: String] = [:], verifiesClientCertificates: Bool) {
        self.tokens = Locked(tokens)
        self.basicCredentials = basicCredentials
        self.verifiesClientCertificates = verifiesClientCertificates
    }

    func authenticate(_ request: Request, context: KubeRequestContext) async throws(KubeAPIError) {
        let tokens = self.tokens.withLock { $0 }
        if tokens.isEmpty && basicCredentials.isEmpty && !verifiesClientCertificates { return }
        if verifiesClientCertificates, await context.hasPeerCertificate() {
            // NIOSSL only completes the handshake if a presented certificate chains to the CA.
            return
        }
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer",
               tokens.contains(parts[1].trimmingCharacters(in: .whitespaces)) {
                return
            }
            if parts.count == 2, parts[0].lowercased() == "basic",
               let decoded = Data(base64Encoded: String(parts[1])).map({ String(decoding: $0, as: UTF8.self) }),
               let colon = decoded.firstIndex(of: ":"),
               let expected = basicCredentials[String(decoded[..<colon])], expected == String(decoded[decoded.index(after: colon)...]) {
                return
            }
        }
        throw .unauthorized
    }
}
