import Foundation
import KubeTestServer
import SealKit
import TestSupport
import Testing
@testable import KubeClient

/// kubectl's connection flags as `ConnectionOverrides`, against the test API server over HTTPS:
/// each flag must change what is sent, which the server's authentication or its record of
/// received requests shows.
@Suite("Connection flags (kubectl overrides)", .serialized)
struct ConnectionOverridesTests {
    struct Setup {
        let server: KubeAPIServer
        let url: URL
        let pki: TestCertificates
        let directory: URL

        func file(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }

        func stop() async {
            await server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func start(clientCertificates: Bool = false, namedCertificate: Bool = false) async throws -> Setup {
        let pki = try await TestCertificates.shared
        var configuration = KubeAPIServer.Configuration()
        configuration.tls = .init(certificateChainPEM: namedCertificate ? pki.namedServerCertificatePEM : pki.serverCertificatePEM,
                                  privateKeyPEM: namedCertificate ? pki.namedServerKeyPEM : pki.serverKeyPEM,
                                  clientCAPEM: clientCertificates ? pki.caPEM : nil)
        configuration.bearerTokens = ["good-token"]
        configuration.basicCredentials = ["admin": "s3cret"]
        let server = KubeAPIServer(configuration: configuration)
        let url = try await server.start()
        let directory = try ProcessRunner.temporaryDirectory("overrides")
        return Setup(server: server, url: url, pki: pki, directory: directory)
    }

    /// Resolves with no kubeconfig at all (HOME points nowhere), only the overrides.
    static func connect(_ overrides: ConnectionOverrides, kubeconfig: String? = nil) async throws(KubeError) -> KubeClient {
        let connection = try ClusterConnection.resolve(kubeconfigPath: kubeconfig, context: nil, environment: ["HOME": "/nonexistent"],
                                                       overrides: overrides)
        return try KubeClient(connection: connection, retryPolicy: RetryPolicy(maximumAttempts: 1))
    }

    /// Whether a request succeeds. A refused TLS handshake is retried by async-http-client until
    /// the connect timeout (10 s), so a short request timeout keeps failures quick.
    /// Whether a request that should succeed does, given time: a TLS handshake with client
    /// certificates on a loaded CI machine can take longer than the 1 s that keeps refusals fast.
    static func accepted(_ overrides: ConnectionOverrides, kubeconfig: String? = nil) async throws -> Bool {
        var overrides = overrides
        if overrides.requestTimeout == nil { overrides.requestTimeout = "20s" }
        return try await works(overrides, kubeconfig: kubeconfig)
    }

    static func works(_ overrides: ConnectionOverrides, kubeconfig: String? = nil) async throws -> Bool {
        var overrides = overrides
        if overrides.requestTimeout == nil { overrides.requestTimeout = "1s" }
        let client = try await connect(overrides, kubeconfig: kubeconfig)
        defer { Task { await client.shutdown() } }
        do {
            _ = try await client.list(.secrets, namespace: "ns")
            return true
        } catch {
            return false
        }
    }

    func base(_ setup: Setup) throws -> ConnectionOverrides {
        var overrides = ConnectionOverrides()
        overrides.server = setup.url.absoluteString
        overrides.certificateAuthority = try setup.file("ca.pem", setup.pki.caPEM)
        return overrides
    }

    @Test("--server, --certificate-authority and --token need no kubeconfig") func serverAndToken() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        var overrides = try base(setup)
        #expect(try await !Self.works(overrides), "anonymous is refused")
        overrides.token = "good-token"
        #expect(try await Self.accepted(overrides))
        overrides.token = "bad-token"
        #expect(try await !Self.works(overrides))
        var noCA = overrides
        noCA.token = "good-token"
        noCA.certificateAuthority = nil
        #expect(try await !Self.works(noCA), "the test CA is not in the system trust store")
    }

    @Test("--username and --password send basic auth") func basicAuth() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        var overrides = try base(setup)
        overrides.username = "admin"
        overrides.password = "s3cret"
        #expect(try await Self.accepted(overrides))
        overrides.password = "wrong"
        #expect(try await !Self.works(overrides))
    }

    @Test("--client-certificate and --client-key authenticate the handshake") func clientCertificate() async throws {
        let setup = try await Self.start(clientCertificates: true)
        defer { Task { await setup.stop() } }
        var overrides = try base(setup)
        overrides.clientCertificate = try setup.file("client.crt", setup.pki.clientCertificatePEM)
        overrides.clientKey = try setup.file("client.key", setup.pki.clientKeyPEM)
        #expect(try await Self.accepted(overrides))
        overrides.clientCertificate = try setup.file("stranger.crt", setup.pki.strangerCertificatePEM)
        overrides.clientKey = try setup.file("stranger.key", setup.pki.strangerKeyPEM)
        #expect(try await !Self.works(overrides))
        overrides.clientKey = nil
        let error = await #expect(throws: KubeError.self) { _ = try await Self.connect(overrides) }
        #expect(error?.message == "--client-certificate and --client-key must be given together")
    }

    @Test("--insecure-skip-tls-verify connects without the CA") func insecure() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        var overrides = ConnectionOverrides()
        overrides.server = setup.url.absoluteString
        overrides.token = "good-token"
        #expect(try await !Self.works(overrides))
        overrides.insecureSkipTLSVerify = true
        #expect(try await Self.accepted(overrides))
        overrides.certificateAuthority = try setup.file("ca.pem", setup.pki.caPEM)
        let error = await #expect(throws: KubeError.self) { _ = try await Self.connect(overrides) }
        #expect(error?.message.hasPrefix("--certificate-authority and --insecure-skip-tls-verify cannot be combined") == true)
    }

    @Test("--tls-server-name is the name the certificate is checked against") func tlsServerName() async throws {
        let setup = try await Self.start(namedCertificate: true)
        defer { Task { await setup.stop() } }
        var overrides = try base(setup)
        overrides.token = "good-token"
        #expect(try await !Self.works(overrides), "the certificate is for kube.example, not 127.0.0.1")
        overrides.tlsServerName = "kube.example"
        #expect(try await Self.accepted(overrides))
        overrides.tlsServerName = "kubernetes.default.svc"  // not in the certificate
        #expect(try await !Self.works(overrides))
    }

    @Test("kubeconfig tls-server-name is used the same way") func kubeconfigTLSServerName() async throws {
        let setup = try await Self.start(namedCertificate: true)
        defer { Task { await setup.stop() } }
        func kubeconfig(_ name: String) throws -> String {
            try setup.file("config-\(name)", """
                current-context: c
                contexts: [{name: c, context: {cluster: c, user: u}}]
                clusters: [{name: c, cluster: {server: "\(setup.url.absoluteString)", tls-server-name: \(name),
                            certificate-authority-data: \(Base64.encode(Array(setup.pki.caPEM.utf8)))}}]
                users: [{name: u, user: {token: good-token}}]
                """)
        }
        #expect(try await Self.accepted(ConnectionOverrides(), kubeconfig: try kubeconfig("kube.example")))
        #expect(try await !Self.works(ConnectionOverrides(), kubeconfig: try kubeconfig("elsewhere.example")))
    }

    @Test("--cluster and --user pick other kubeconfig entries; --token replaces the user's credential") func clusterAndUser() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let config = try setup.file("config", """
            current-context: broken
            contexts: [{name: broken, context: {cluster: nowhere, user: nobody, namespace: team}}]
            clusters:
            - {name: nowhere, cluster: {server: "https://127.0.0.1:1"}}
            - {name: test, cluster: {server: "\(setup.url.absoluteString)", certificate-authority-data: \(Base64.encode(Array(setup.pki.caPEM.utf8)))}}
            users:
            - {name: nobody, user: {token: bad-token}}
            - {name: admin, user: {token: good-token}}
            """)
        var overrides = ConnectionOverrides()
        #expect(try await !Self.works(overrides, kubeconfig: config))
        overrides.cluster = "test"
        #expect(try await !Self.works(overrides, kubeconfig: config), "still the wrong user")
        overrides.user = "admin"
        #expect(try await Self.accepted(overrides, kubeconfig: config))
        let connection = try ClusterConnection.resolve(kubeconfigPath: config, context: nil, environment: [:], overrides: overrides)
        #expect(connection.namespace == "team", "the context's namespace stays")
        var token = ConnectionOverrides()
        token.cluster = "test"
        token.token = "good-token"
        #expect(try await Self.accepted(token, kubeconfig: config))

        var missing = ConnectionOverrides()
        missing.user = "ghost"
        let error = await #expect(throws: KubeError.self) { _ = try await Self.connect(missing, kubeconfig: config) }
        #expect(error?.message == #"--user names user "ghost", which the kubeconfig does not define"#)
        missing = ConnectionOverrides()
        missing.cluster = "ghost"
        let clusterError = await #expect(throws: KubeError.self) { _ = try await Self.connect(missing, kubeconfig: config) }
        #expect(clusterError?.message == #"--cluster names cluster "ghost", which the kubeconfig does not define"#)
    }

    @Test("--as, --as-group (repeated) and --as-uid arrive as kubectl sends them") func impersonation() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        var overrides = try base(setup)
        overrides.token = "good-token"
        overrides.impersonateUser = "jane@example.com"
        overrides.impersonateGroups = ["developers", "system:authenticated"]
        overrides.impersonateUID = "06f6ce97-e2c5-4ab8-7ba5-7654dd08d52b"
        #expect(try await Self.accepted(overrides))
        let request = try #require(setup.server.receivedRequests.last)
        #expect(request.values("impersonate-user") == ["jane@example.com"])
        #expect(request.values("impersonate-group") == ["developers", "system:authenticated"], "one header per group, in order")
        #expect(request.values("impersonate-uid") == ["06f6ce97-e2c5-4ab8-7ba5-7654dd08d52b"])

        var groupOnly = try base(setup)
        groupOnly.impersonateGroups = ["g"]
        let error = await #expect(throws: KubeError.self) { _ = try await Self.connect(groupOnly) }
        #expect(error?.message == "--as-group and --as-uid need --as (the user to impersonate)")
    }

    @Test("kubeconfig as, as-groups, as-uid and as-user-extra") func kubeconfigImpersonation() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let config = try setup.file("config", """
            current-context: c
            contexts: [{name: c, context: {cluster: c, user: u}}]
            clusters: [{name: c, cluster: {server: "\(setup.url.absoluteString)", certificate-authority-data: \(Base64.encode(Array(setup.pki.caPEM.utf8)))}}]
            users: [{name: u, user: {token: good-token, as: bob, as-groups: [a, b], as-uid: "7", as-user-extra: {"scopes/x y": [one, two]}}}]
            """)
        #expect(try await Self.accepted(ConnectionOverrides(), kubeconfig: config))
        let request = try #require(setup.server.receivedRequests.last)
        #expect(request.values("impersonate-user") == ["bob"])
        #expect(request.values("impersonate-group") == ["a", "b"])
        #expect(request.values("impersonate-uid") == ["7"])
        #expect(request.values("impersonate-extra-scopes%2Fx%20y") == ["one", "two"])
        // --as on the command line replaces the kubeconfig's impersonation.
        var overrides = ConnectionOverrides()
        overrides.impersonateUser = "carol"
        #expect(try await Self.accepted(overrides, kubeconfig: config))
        let replaced = try #require(setup.server.receivedRequests.last)
        #expect(replaced.values("impersonate-user") == ["carol"])
        #expect(replaced.values("impersonate-group").isEmpty)
    }

    @Test("--disable-compression stops asking for gzip") func disableCompression() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        var overrides = try base(setup)
        overrides.token = "good-token"
        #expect(try await Self.accepted(overrides))
        #expect(setup.server.receivedRequests.last?.values("accept-encoding") == ["gzip"])
        overrides.disableCompression = true
        #expect(try await Self.accepted(overrides))
        #expect(setup.server.receivedRequests.last?.values("accept-encoding") == [])
    }

    @Test("--request-timeout bounds each request; 0 and plain seconds are accepted") func requestTimeout() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        var overrides = try base(setup)
        overrides.token = "good-token"
        setup.server.faults.delayResponses(by: .seconds(3))
        overrides.requestTimeout = "300ms"
        let started = ContinuousClock.now
        #expect(try await !Self.works(overrides))
        #expect(ContinuousClock.now - started < .seconds(2))
        setup.server.faults.reset()
        #expect(try await Self.accepted(overrides))

        #expect(try ClusterConnection.parseRequestTimeout("0") == .zero)
        #expect(try ClusterConnection.parseRequestTimeout("15") == .seconds(15))
        #expect(try ClusterConnection.parseRequestTimeout("1m30s") == .seconds(90))
        for bad in ["-1", "soon", "1e300h", "-5s"] {
            let error = #expect(throws: KubeError.self) { try ClusterConnection.parseRequestTimeout(bad) }
            #expect(error?.message.hasPrefix("--request-timeout \(bad): expected") == true)
        }
    }
}
