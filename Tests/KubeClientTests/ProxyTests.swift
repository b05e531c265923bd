import Foundation
import KubeTestServer
import SealKit
import TestSupport
import Testing
@testable import KubeClient

/// Proxies: kubeconfig `proxy-url` and `HTTPS_PROXY`/`NO_PROXY` through a real CONNECT proxy
/// that counts its tunnels, plus Go's `NO_PROXY` matching rules and `disable-compression`.
@Suite("Proxies and compression", .serialized)
struct ProxyTests {
    struct Setup {
        let server: KubeAPIServer
        let url: URL
        let pki: TestCertificates
        let proxy: ConnectProxy
        let directory: URL

        func stop() async {
            proxy.stop()
            await server.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        /// A kubeconfig for the server at `host` (its port), with extra cluster fields.
        func kubeconfig(host: String = "127.0.0.1", cluster extra: String = "") throws -> String {
            let path = directory.appendingPathComponent("config-\(UUID().uuidString)").path
            try Data("""
                current-context: c
                contexts: [{name: c, context: {cluster: c, user: u}}]
                clusters: [{name: c, cluster: {server: "https://\(host):\(url.port!)", \(extra)
                            certificate-authority-data: \(Base64.encode(Array(pki.caPEM.utf8)))}}]
                users: [{name: u, user: {token: t}}]
                """.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// The server's certificate names only `kube.example`, so it can be reached by that name
    /// through the proxy (which connects every name to 127.0.0.1).
    static func start() async throws -> Setup {
        let pki = try await TestCertificates.shared
        var configuration = KubeAPIServer.Configuration()
        configuration.tls = .init(certificateChainPEM: pki.namedServerCertificatePEM, privateKeyPEM: pki.namedServerKeyPEM)
        configuration.bearerTokens = ["t"]
        let server = KubeAPIServer(configuration: configuration)
        let url = try await server.start()
        return Setup(server: server, url: url, pki: pki, proxy: try ConnectProxy(),
                     directory: try ProcessRunner.temporaryDirectory("proxy-tests"))
    }

    static func list(_ kubeconfig: String, environment: [String: String] = [:]) async throws {
        let connection = try ClusterConnection.resolve(kubeconfigPath: kubeconfig, context: nil, environment: environment)
        let client = try KubeClient(connection: connection, retryPolicy: RetryPolicy(maximumAttempts: 1))
        defer { Task { await client.shutdown() } }
        for _ in 0 ..< 3 { _ = try await client.list(.secrets, namespace: "ns") }
    }

    @Test("kubeconfig proxy-url tunnels every request, loopback included, with proxy credentials") func proxyURL() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let config = try setup.kubeconfig(host: "kube.example", cluster: "proxy-url: \"http://alice:p%40ss@127.0.0.1:\(setup.proxy.port)\",")
        try await Self.list(config, environment: ["NO_PROXY": "*"])
        #expect(setup.proxy.tunnels.count == 1, "one tunnel, reused by the three requests")
        #expect(setup.proxy.tunnels.first?.target == "kube.example:\(setup.url.port!)")
        #expect(setup.proxy.tunnels.first?.proxyAuthorization == "Basic " + Base64.encode(Array("alice:p@ss".utf8)))
    }

    @Test("HTTPS_PROXY is used for the server unless NO_PROXY matches it") func environmentProxy() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let config = try setup.kubeconfig(host: "kube.example")
        try await Self.list(config, environment: ["HTTPS_PROXY": "127.0.0.1:\(setup.proxy.port)", "NO_PROXY": "other.example,10.0.0.0/8"])
        #expect(setup.proxy.tunnels.map(\.target) == ["kube.example:\(setup.url.port!)"])
        // Lowercase works too; uppercase wins when both are set.
        try await Self.list(config, environment: ["https_proxy": "http://127.0.0.1:\(setup.proxy.port)"])
        #expect(setup.proxy.tunnels.count == 2)
        // HTTP_PROXY is only for http:// servers.
        await #expect(throws: KubeError.self) {
            try await Self.list(config, environment: ["HTTP_PROXY": "http://127.0.0.1:\(setup.proxy.port)"])
        }
        #expect(setup.proxy.tunnels.count == 2)
        // A loopback server is never proxied (as in Go): the direct connection works.
        let loopback = try setup.kubeconfig(cluster: "tls-server-name: kube.example,")
        try await Self.list(loopback, environment: ["HTTPS_PROXY": "http://127.0.0.1:\(setup.proxy.port)"])
        #expect(setup.proxy.tunnels.count == 2)
    }

    @Test("unsupported proxy schemes are one-line errors without the password") func badProxy() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let config = try setup.kubeconfig(cluster: "proxy-url: \"https://user:hunter2@proxy.example:3128\",")
        let error = try #require(throws: KubeError.self) {
            _ = try KubeClient(connection: try ClusterConnection.resolve(kubeconfigPath: config, context: nil, environment: [:]))
        }
        #expect(error.message == "proxy-url https://…@proxy.example:3128: scheme https is not supported (use http:// or socks5://)")
    }

    @Test("NO_PROXY follows Go's httpproxy rules", arguments: [
        // NO_PROXY, host, port, bypassed
        ("", "kube.example", "443", false),
        ("*", "kube.example", "443", true),
        ("", "localhost", "443", true),
        ("", "127.0.0.5", "443", true),
        ("", "::1", "443", true),
        ("kube.example", "kube.example", "443", true),
        ("kube.example", "api.kube.example", "443", true),
        ("kube.example", "notkube.example", "443", false),
        (".kube.example", "kube.example", "443", false),
        (".kube.example", "api.kube.example", "443", true),
        ("*.kube.example", "api.kube.example", "443", true),
        ("*.kube.example", "kube.example", "443", false),
        ("kube.example:6443", "kube.example", "443", false),
        ("kube.example:6443", "kube.example", "6443", true),
        ("10.0.0.0/8", "10.1.2.3", "443", true),
        ("10.0.0.0/8", "11.1.2.3", "443", false),
        ("192.168.1.1", "192.168.1.1", "6443", true),
        ("192.168.1.1:443", "192.168.1.1", "6443", false),
        ("fd00::/8", "fd12::1", "443", true),
        ("[fd00::1]:443", "fd00::1", "443", true),
        (" Other.Example , KUBE.example ", "kube.example", "443", true),
    ])
    func noProxyRules(_ list: String, host: String, port: String, bypassed: Bool) {
        #expect(NoProxyRules(list).bypasses(host: host, port: port) == bypassed)
    }

    @Test("gzip is requested unless the kubeconfig sets disable-compression") func compression() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        try await Self.list(try setup.kubeconfig(cluster: "tls-server-name: kube.example,"))
        #expect(setup.server.receivedRequests.last?.values("accept-encoding") == ["gzip"])
        try await Self.list(try setup.kubeconfig(cluster: "tls-server-name: kube.example, disable-compression: true,"))
        #expect(setup.server.receivedRequests.last?.values("accept-encoding") == [])
    }
}
