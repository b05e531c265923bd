import Foundation
import KubeTestServer
import SealKit
import TestSupport
import Testing

/// kubectl's connection flags on the real `sealkit` binary, and their `SEALED_SECRETS_*`
/// variables. Each run asks for the controller's certificate; no controller is installed, so
/// "services … not found" proves the request was authenticated and reached the API server
/// (a refused credential says Unauthorized instead).
@Suite("Connection flags end to end", .serialized)
struct ConnectionFlagsEndToEndTests {
    static let reached = #"services "sealed-secrets-controller" not found"#

    /// The cluster, plus the CA and client credentials as files, and no kubeconfig at all.
    static func start(configure: (inout KubeAPIServer.Configuration, TestCertificates) -> Void = { _, _ in }) async throws -> TestCluster {
        let cluster = try await TestCluster.start(configure: configure)
        let pki = try await TestCertificates.shared
        try cluster.workspace.write("ca.pem", pki.caPEM)
        try cluster.workspace.write("client.crt", pki.clientCertificatePEM)
        try cluster.workspace.write("client.key", pki.clientKeyPEM)
        try FileManager.default.removeItem(at: cluster.workspace.path("kubeconfig"))
        return cluster
    }

    static func fetch(_ cluster: TestCluster, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        try await cluster.workspace.sealkitAsync(["--fetch-cert"] + arguments, environment: environment)
    }

    static func lastServiceRequest(_ cluster: TestCluster) throws -> RecordedRequest {
        try #require(cluster.server.receivedRequests.last { $0.uri.contains("/services/sealed-secrets-controller") })
    }

    @Test("-s/--server, --token, --certificate-authority, --as, --as-group (twice), --as-uid") func flags() async throws {
        let cluster = try await Self.start()
        defer { Task { await cluster.stop() } }
        let result = try await Self.fetch(cluster, [
            "-s", cluster.url.absoluteString, "--token", TestCluster.token, "--certificate-authority", "ca.pem",
            "--as", "jane", "--as-group", "developers", "--as-group", "ops", "--as-uid", "1234",
        ])
        #expect(result.stderr.contains(Self.reached), "\(result.stderr)")
        let request = try Self.lastServiceRequest(cluster)
        #expect(request.values("impersonate-user") == ["jane"])
        #expect(request.values("impersonate-group") == ["developers", "ops"])
        #expect(request.values("impersonate-uid") == ["1234"])
        #expect(request.values("authorization") == ["Bearer \(TestCluster.token)"])

        let wrong = try await Self.fetch(cluster, ["--server", cluster.url.absoluteString, "--token", "nope", "--certificate-authority", "ca.pem"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("Unauthorized"))
        #expect(!wrong.stderr.contains("nope"), "the token is never printed")
    }

    @Test("the same from SEALED_SECRETS_* variables") func environment() async throws {
        let cluster = try await Self.start()
        defer { Task { await cluster.stop() } }
        let result = try await Self.fetch(cluster, [], environment: [
            "SEALED_SECRETS_SERVER": cluster.url.absoluteString, "SEALED_SECRETS_TOKEN": TestCluster.token,
            "SEALED_SECRETS_CERTIFICATE_AUTHORITY": "ca.pem", "SEALED_SECRETS_AS": "jane",
            "SEALED_SECRETS_AS_GROUP": "developers", "SEALED_SECRETS_AS_UID": "1234",
        ])
        #expect(result.stderr.contains(Self.reached), "\(result.stderr)")
        let request = try Self.lastServiceRequest(cluster)
        #expect(request.values("impersonate-user") == ["jane"])
        #expect(request.values("impersonate-group") == ["developers"])
        #expect(request.values("impersonate-uid") == ["1234"])

        // The command line wins over the environment.
        let flagWins = try await Self.fetch(cluster, ["--as", "kim"], environment: [
            "SEALED_SECRETS_SERVER": cluster.url.absoluteString, "SEALED_SECRETS_TOKEN": TestCluster.token,
            "SEALED_SECRETS_CERTIFICATE_AUTHORITY": "ca.pem", "SEALED_SECRETS_AS": "jane",
        ])
        #expect(flagWins.stderr.contains(Self.reached))
        #expect(try Self.lastServiceRequest(cluster).values("impersonate-user") == ["kim"])
    }

    @Test("--username/--password and SEALED_SECRETS_USERNAME/PASSWORD") func basicAuth() async throws {
        let cluster = try await Self.start { configuration, _ in configuration.basicCredentials = ["admin": "s3cret"] }
        defer { Task { await cluster.stop() } }
        let base = ["--server", cluster.url.absoluteString, "--certificate-authority", "ca.pem"]
        let flags = try await Self.fetch(cluster, base + ["--username", "admin", "--password", "s3cret"])
        #expect(flags.stderr.contains(Self.reached), "\(flags.stderr)")
        let environment = try await Self.fetch(cluster, base, environment: ["SEALED_SECRETS_USERNAME": "admin", "SEALED_SECRETS_PASSWORD": "s3cret"])
        #expect(environment.stderr.contains(Self.reached), "\(environment.stderr)")
        let wrong = try await Self.fetch(cluster, base + ["--username", "admin", "--password", "guess"])
        #expect(wrong.stderr.contains("Unauthorized"))
        #expect(!wrong.stderr.contains("guess"))
    }

    @Test("--client-certificate/--client-key, and --insecure-skip-tls-verify in every spelling") func tls() async throws {
        let cluster = try await Self.start { configuration, pki in configuration.tls?.clientCAPEM = pki.caPEM }
        defer { Task { await cluster.stop() } }
        let server = cluster.url.absoluteString
        let certificate = try await Self.fetch(cluster, ["--server", server, "--certificate-authority", "ca.pem",
                                                         "--client-certificate", "client.crt", "--client-key", "client.key"])
        #expect(certificate.stderr.contains(Self.reached), "\(certificate.stderr)")
        let viaEnvironment = try await Self.fetch(cluster, ["--server", server, "--certificate-authority", "ca.pem"], environment: [
            "SEALED_SECRETS_CLIENT_CERTIFICATE": "client.crt", "SEALED_SECRETS_CLIENT_KEY": "client.key",
        ])
        #expect(viaEnvironment.stderr.contains(Self.reached), "\(viaEnvironment.stderr)")
        let onlyOne = try await Self.fetch(cluster, ["--server", server, "--client-certificate", "client.crt"])
        #expect(onlyOne.stderr == "error: cannot reach the cluster to find controller sealed-secrets-controller in kube-system: --client-certificate and --client-key must be given together; pass --cert, or --kubeconfig/--context/--server\n")

        let token = ["--server", server, "--token", TestCluster.token, "--request-timeout", "2s"]
        let untrusted = try await Self.fetch(cluster, token)
        #expect(!untrusted.stderr.contains(Self.reached), "the test CA is not trusted without --certificate-authority")
        for spelling in [["--insecure-skip-tls-verify"], ["--insecure-skip-tls-verify=true"]] {
            let insecure = try await Self.fetch(cluster, token + spelling)
            #expect(insecure.stderr.contains(Self.reached), "\(spelling): \(insecure.stderr)")
        }
        let off = try await Self.fetch(cluster, token + ["--insecure-skip-tls-verify=false"])
        #expect(!off.stderr.contains(Self.reached))
        let environment = try await Self.fetch(cluster, token, environment: ["SEALED_SECRETS_INSECURE_SKIP_TLS_VERIFY": "true"])
        #expect(environment.stderr.contains(Self.reached), "\(environment.stderr)")
    }

    @Test("--tls-server-name and SEALED_SECRETS_TLS_SERVER_NAME") func tlsServerName() async throws {
        let cluster = try await Self.start { configuration, pki in
            configuration.tls = .init(certificateChainPEM: pki.namedServerCertificatePEM, privateKeyPEM: pki.namedServerKeyPEM)
        }
        defer { Task { await cluster.stop() } }
        let base = ["--server", cluster.url.absoluteString, "--token", TestCluster.token, "--certificate-authority", "ca.pem",
                    "--request-timeout", "2s"]
        let without = try await Self.fetch(cluster, base)
        #expect(!without.stderr.contains(Self.reached), "the certificate is for kube.example only")
        let named = try await Self.fetch(cluster, base + ["--tls-server-name", "kube.example"])
        #expect(named.stderr.contains(Self.reached), "\(named.stderr)")
        let environment = try await Self.fetch(cluster, base, environment: ["SEALED_SECRETS_TLS_SERVER_NAME": "kube.example"])
        #expect(environment.stderr.contains(Self.reached), "\(environment.stderr)")
    }

    @Test("HTTPS_PROXY: the real binary tunnels through a CONNECT proxy") func httpsProxy() async throws {
        let cluster = try await Self.start { configuration, pki in
            configuration.tls = .init(certificateChainPEM: pki.namedServerCertificatePEM, privateKeyPEM: pki.namedServerKeyPEM)
        }
        defer { Task { await cluster.stop() } }
        let proxy = try ConnectProxy()
        defer { proxy.stop() }
        let server = "https://kube.example:\(cluster.url.port!)"
        let result = try await Self.fetch(cluster, ["--server", server, "--token", TestCluster.token, "--certificate-authority", "ca.pem"],
                                          environment: ["HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)"])
        #expect(result.stderr.contains(Self.reached), "\(result.stderr)")
        #expect(proxy.tunnels.map(\.target) == ["kube.example:\(cluster.url.port!)"])
    }

    @Test("--cluster and --user (and their variables) pick kubeconfig entries") func clusterAndUser() async throws {
        let cluster = try await Self.start()
        defer { Task { await cluster.stop() } }
        try cluster.workspace.write("config", """
            current-context: broken
            contexts: [{name: broken, context: {cluster: nowhere, user: nobody}}]
            clusters:
            - {name: nowhere, cluster: {server: "https://127.0.0.1:1"}}
            - {name: test, cluster: {server: "\(cluster.url.absoluteString)", certificate-authority: ca.pem}}
            users:
            - {name: nobody, user: {token: bad}}
            - {name: admin, user: {token: \(TestCluster.token)}}
            """)
        let picked = try await Self.fetch(cluster, ["--kubeconfig", "config", "--cluster", "test", "--user", "admin"])
        #expect(picked.stderr.contains(Self.reached), "\(picked.stderr)")
        let environment = try await Self.fetch(cluster, ["--kubeconfig", "config"],
                                               environment: ["SEALED_SECRETS_CLUSTER": "test", "SEALED_SECRETS_USER": "admin"])
        #expect(environment.stderr.contains(Self.reached), "\(environment.stderr)")
        let wrongUser = try await Self.fetch(cluster, ["--kubeconfig", "config", "--cluster", "test"])
        #expect(wrongUser.stderr.contains("Unauthorized"))
    }

    @Test("--request-timeout and SEALED_SECRETS_REQUEST_TIMEOUT; a bad value is one line") func requestTimeout() async throws {
        let cluster = try await Self.start()
        defer { Task { await cluster.stop() } }
        let base = ["--server", cluster.url.absoluteString, "--token", TestCluster.token, "--certificate-authority", "ca.pem"]
        // Under a sanitizer each CLI run starts slower: the server's delay and the bound stretch
        // together, so a CLI that waited for the answer would still be caught.
        let delay = TestTimeouts.scaled(.seconds(5))
        cluster.server.faults.delayResponses(by: delay)
        let started = ContinuousClock.now
        let limited = try await Self.fetch(cluster, base + ["--request-timeout", "200ms"])
        #expect(limited.status == 1)
        #expect(limited.stderr.contains("no answer within the request timeout"), "\(limited.stderr)")
        let environment = try await Self.fetch(cluster, base, environment: ["SEALED_SECRETS_REQUEST_TIMEOUT": "200ms"])
        #expect(environment.status == 1)
        #expect(ContinuousClock.now - started < delay, "both gave up long before the server answered")
        cluster.server.faults.reset()

        let bad = try await Self.fetch(cluster, base + ["--request-timeout", "soon"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--request-timeout soon: expected a number of seconds or a duration"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }
}
