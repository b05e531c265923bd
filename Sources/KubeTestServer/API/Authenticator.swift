import Foundation
import Hummingbird

/// Decides whether a request is authenticated, as the API server's authenticator chain does:
/// a client certificate the TLS handshake verified against the client CA, or a bearer token
/// from the configured set. With neither configured, every request is allowed (anonymous).
struct Authenticator: Sendable {
    let tokens: Set<String>
    /// Whether the TLS layer verifies client certificates against a client CA.
    let verifiesClientCertificates: Bool

    func authenticate(_ request: Request, context: KubeRequestContext) async throws(KubeAPIError) {
        if tokens.isEmpty && !verifiesClientCertificates { return }
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
        }
        throw .unauthorized
    }
}
