import Foundation
import KubeTestServer
import SealKit
import TestSupport
import Testing
@testable import KubeClient

/// kubeconfig `auth-provider: oidc` against the test API server and a tiny OpenID Connect
/// issuer: a valid id-token is sent as is; an expired one is refreshed at the issuer's token
/// endpoint and written back into the kubeconfig file.
@Suite("OIDC auth provider", .serialized)
struct OIDCAuthProviderTests {
    /// An unsigned JWT with `exp` (the client reads the claim; the API server checks signatures).
    static func jwt(exp: Date, subject: String) -> String {
        func encode(_ text: String) -> String {
            Base64.encode(Array(text.utf8)).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return encode(#"{"alg":"none"}"#) + "." + encode(#"{"sub":"\#(subject)","exp":\#(Int(exp.timeIntervalSince1970))}"#) + ".c2ln"
    }

    static let fresh = jwt(exp: Date().addingTimeInterval(3600), subject: "fresh")
    static let expired = jwt(exp: Date().addingTimeInterval(-60), subject: "expired")
    static let renewed = jwt(exp: Date().addingTimeInterval(7200), subject: "renewed")

    struct Setup {
        let server: KubeAPIServer
        let url: URL
        let pki: TestCertificates
        let issuer: TinyHTTPServer
        let directory: URL

        func kubeconfig(idToken: String?, refreshToken: String? = "refresh-1", provider: String = "oidc") throws -> String {
            let path = directory.appendingPathComponent("kubeconfig").path
            var config = ["client-id: sealkit", "client-secret: s3cret", "idp-issuer-url: \(issuer.url)"]
            if let idToken { config.append("id-token: \(idToken)") }
            if let refreshToken { config.append("refresh-token: \(refreshToken)") }
            try Data("""
                current-context: c
                contexts: [{name: c, context: {cluster: c, user: dev}}]
                clusters: [{name: c, cluster: {server: "\(url.absoluteString)", certificate-authority-data: \(Base64.encode(Array(pki.caPEM.utf8)))}}]
                users:
                - name: dev
                  user:
                    auth-provider:
                      name: \(provider)
                      config: {\(config.joined(separator: ", "))}
                """.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }

        func stop() async {
            issuer.stop()
            await server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func start(tokenAnswer: @escaping @Sendable () -> (Int, String) = { (200, #"{"id_token": "\#(renewed)", "refresh_token": "refresh-2", "token_type": "Bearer"}"#) })
        async throws -> Setup {
        let pki = try await TestCertificates.shared
        var configuration = KubeAPIServer.Configuration()
        configuration.tls = .init(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM)
        configuration.bearerTokens = [fresh, renewed]
        let server = KubeAPIServer(configuration: configuration)
        let url = try await server.start()
        let issuerPort = Locked(0)
        let issuer = try TinyHTTPServer { request in
            switch request.path {
            case "/.well-known/openid-configuration":
                return (200, #"{"issuer": "x", "token_endpoint": "http://127.0.0.1:\#(issuerPort.value)/token"}"#)
            case "/token":
                return tokenAnswer()
            default:
                return (404, "{}")
            }
        }
        issuerPort.value = issuer.port
        return Setup(server: server, url: url, pki: pki, issuer: issuer, directory: try ProcessRunner.temporaryDirectory("oidc"))
    }

    static func list(_ kubeconfig: String) async throws {
        let connection = try ClusterConnection.resolve(kubeconfigPath: kubeconfig, context: nil, environment: [:])
        let client = try KubeClient(connection: connection, retryPolicy: RetryPolicy(maximumAttempts: 1))
        defer { Task { await client.shutdown() } }
        _ = try await client.list(.secrets, namespace: "ns")
        _ = try await client.list(.secrets, namespace: "ns")
    }

    @Test("a valid id-token is sent; the issuer is not contacted") func validToken() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        try await Self.list(try setup.kubeconfig(idToken: Self.fresh))
        #expect(setup.issuer.requests.isEmpty)
        #expect(setup.server.receivedRequests.last?.values("authorization") == ["Bearer \(Self.fresh)"])
    }

    @Test("an expired id-token is refreshed and written back into the kubeconfig (0600)") func refresh() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let path = try setup.kubeconfig(idToken: Self.expired)
        try await Self.list(path)
        #expect(setup.server.receivedRequests.last?.values("authorization") == ["Bearer \(Self.renewed)"])
        let requests = setup.issuer.requests
        #expect(requests.map(\.path) == ["/.well-known/openid-configuration", "/token"], "one refresh for both requests")
        let tokenRequest = try #require(requests.last)
        #expect(tokenRequest.method == "POST")
        #expect(tokenRequest.body == "grant_type=refresh_token&refresh_token=refresh-1")
        #expect(tokenRequest.headers["authorization"] == "Basic " + Base64.encode(Array("sealkit:s3cret".utf8)))

        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains(Self.renewed))
        #expect(saved.contains("refresh-2"))
        #expect(!saved.contains(Self.expired))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // The next run starts from the saved token and needs no refresh.
        try await Self.list(path)
        #expect(setup.issuer.requests.count == 2)
    }

    @Test("a missing id-token is fetched with the refresh-token") func missingToken() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        try await Self.list(try setup.kubeconfig(idToken: nil))
        #expect(setup.server.receivedRequests.last?.values("authorization") == ["Bearer \(Self.renewed)"])
    }

    @Test("no refresh-token, or a refusing issuer: one line, no token in it") func failures() async throws {
        let setup = try await Self.start(tokenAnswer: { (400, #"{"error": "invalid_grant", "error_description": "refresh-1 revoked"}"#) })
        defer { Task { await setup.stop() } }
        let noRefresh = await #expect(throws: KubeError.self) { try await Self.list(try setup.kubeconfig(idToken: Self.expired, refreshToken: nil)) }
        #expect(noRefresh?.message == #"user "dev": auth-provider oidc: the id-token has expired (or is missing) and there is no refresh-token to renew it; log in again"#)
        let refused = await #expect(throws: KubeError.self) { try await Self.list(try setup.kubeconfig(idToken: Self.expired)) }
        #expect(refused?.message == #"user "dev": auth-provider oidc: refreshing the id-token at http://127.0.0.1:\#(setup.issuer.port)/token failed: HTTP 400 (invalid_grant)"#)
        #expect(refused?.message.contains("refresh-1") == false)
    }

    @Test("removed providers name the exec plugin that replaces them", arguments: [
        ("gcp", #"user "dev": auth-provider gcp is no longer supported (as in kubectl); use the exec plugin gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin)"#),
        ("azure", #"user "dev": auth-provider azure is no longer supported (as in kubectl); use the exec plugin kubelogin (kubelogin convert-kubeconfig)"#),
        ("openstack", #"user "dev": auth-provider "openstack" is not supported; use an exec credential plugin"#),
    ])
    func otherProviders(_ provider: String, message: String) async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let path = try setup.kubeconfig(idToken: Self.fresh, provider: provider)
        let error = try #require(throws: KubeError.self) { try ClusterConnection.resolve(kubeconfigPath: path, context: nil, environment: [:]) }
        #expect(error.message == message)
    }

    @Test("JWT expiry: 10 s of margin; anything that is not a JWT counts as expired") func expiry() {
        let now = Date()
        #expect(!OIDCAuthProvider.isExpired(Self.jwt(exp: now.addingTimeInterval(60), subject: "a"), now: now))
        #expect(OIDCAuthProvider.isExpired(Self.jwt(exp: now.addingTimeInterval(5), subject: "a"), now: now))
        #expect(OIDCAuthProvider.isExpired("not-a-jwt", now: now))
        #expect(OIDCAuthProvider.isExpired("a.!!!.c", now: now))
    }
}

/// A value shared with a @Sendable closure in a test.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); defer { lock.unlock() }; stored = newValue }
    }
}
