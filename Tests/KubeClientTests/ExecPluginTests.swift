import Foundation
import KubeTestServer
import SealKit
import TestSupport
import Testing
@testable import KubeClient

/// kubeconfig `exec` credential plugins, run for real (a shell script) against the test API
/// server over HTTPS: tokens and client certificates, caching until expiry, one re-run after a
/// 401, a missing command's install hint, and what the plugin is told in KUBERNETES_EXEC_INFO.
@Suite("Exec credential plugins", .serialized)
struct ExecPluginTests {
    static let environment = ["PATH": "/usr/bin:/bin", "PLUGIN_GREETING": "from-parent"]

    struct Setup {
        let server: KubeAPIServer
        let url: URL
        let pki: TestCertificates
    }

    static func start(tokens: Set<String> = ["plugin-token"], clientCertificates: Bool = false) async throws -> Setup {
        let pki = try await TestCertificates.shared
        var configuration = KubeAPIServer.Configuration()
        configuration.tls = .init(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM,
                                  clientCAPEM: clientCertificates ? pki.caPEM : nil)
        configuration.bearerTokens = tokens
        let server = KubeAPIServer(configuration: configuration)
        return Setup(server: server, url: try await server.start(), pki: pki)
    }

    static func client(_ kubeconfig: String) throws -> KubeClient {
        let connection = try ClusterConnection.resolve(kubeconfigPath: kubeconfig, context: nil, environment: environment)
        return try KubeClient(connection: connection, retryPolicy: RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(10)))
    }

    @Test("a token is fetched once and reused for every request while it is valid") func tokenCached() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try plugin.returnToken("plugin-token", expiration: "2999-01-01T00:00:00Z")
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        #expect(plugin.runs == 0, "the plugin runs when a request needs it, not when the kubeconfig is read")
        for _ in 0 ..< 3 { _ = try await client.list(.secrets, namespace: "ns") }
        #expect(plugin.runs == 1)
        let authorizations = setup.server.receivedRequests.flatMap { $0.values("authorization") }
        #expect(authorizations.count == 3)
        #expect(authorizations.allSatisfy { $0 == "Bearer plugin-token" })
    }

    @Test("concurrent first requests wait for one plugin run") func singleFlight() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try plugin.returnToken("plugin-token")
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0 ..< 5 { group.addTask { _ = try await client.list(.secrets, namespace: "ns") } }
            try await group.waitForAll()
        }
        #expect(plugin.runs == 1)
    }

    @Test("an expired credential is fetched again") func expiry() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try plugin.returnToken("plugin-token", expiration: "2001-01-01T00:00:00Z")
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        for _ in 0 ..< 3 { _ = try await client.list(.secrets, namespace: "ns") }
        #expect(plugin.runs == 3)
        // Once the plugin hands out a credential that is still valid, it is cached again.
        try plugin.returnToken("plugin-token", expiration: "2999-01-01T00:00:00.5Z")
        for _ in 0 ..< 3 { _ = try await client.list(.secrets, namespace: "ns") }
        #expect(plugin.runs == 4)
    }

    @Test("a 401 runs the plugin once more and retries with the new token") func rerunAfter401() async throws {
        let setup = try await Self.start(tokens: ["first"])
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try plugin.returnToken("first")
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        _ = try await client.list(.secrets, namespace: "ns")
        #expect(plugin.runs == 1)

        // The server rotates: the cached token is rejected, the plugin now has the new one.
        setup.server.setBearerTokens(["second"])
        try plugin.returnToken("second")
        _ = try await client.list(.secrets, namespace: "ns")
        #expect(plugin.runs == 2)
        _ = try await client.list(.secrets, namespace: "ns")
        #expect(plugin.runs == 2)

        // A credential the server keeps rejecting: one re-run, then the 401 is the answer.
        setup.server.setBearerTokens(["third"])
        let error = try await #require(throws: KubeError.self) { try await client.list(.secrets, namespace: "ns") }
        #expect(error.statusCode == 401)
        #expect(plugin.runs == 3)
    }

    @Test("a client certificate and key from the plugin authenticate the TLS handshake") func clientCertificate() async throws {
        let setup = try await Self.start(tokens: [], clientCertificates: true)
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try plugin.returnCertificate(setup.pki.clientCertificatePEM, key: setup.pki.clientKeyPEM)
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        _ = try await client.create(.secrets, namespace: "ns", ServerTests.secret("a"))
        #expect(try await client.list(.secrets, namespace: "ns").items.count == 1)
        #expect(plugin.runs == 1)
        #expect(setup.server.receivedRequests.allSatisfy { $0.values("authorization").isEmpty })

        // A certificate from another CA is refused by the server: proof the plugin's one was used.
        let stranger = try ExecPluginFixture()
        try stranger.returnCertificate(setup.pki.strangerCertificatePEM, key: setup.pki.strangerKeyPEM)
        let refused = try Self.client(try stranger.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await refused.shutdown() } }
        await #expect(throws: KubeError.self) { try await refused.list(.secrets, namespace: "ns") }
    }

    @Test("v1beta1 plugins work; a plugin answering in another version is refused") func versions() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture(apiVersion: "client.authentication.k8s.io/v1beta1")
        try plugin.returnToken("plugin-token")
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        _ = try await client.list(.secrets, namespace: "ns")
        #expect(try plugin.execInfo(run: 1)?["apiVersion"]?.scalar?.text == "client.authentication.k8s.io/v1beta1")

        let mismatched = try ExecPluginFixture()
        try mismatched.write(Mapping(["token": .string("plugin-token")]), apiVersion: "client.authentication.k8s.io/v1beta1")
        let other = try Self.client(try mismatched.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await other.shutdown() } }
        let error = try await #require(throws: KubeError.self) { try await other.list(.secrets, namespace: "ns") }
        #expect(error.message == #"exec plugin "\#(mismatched.directory.path)/bin/plugin.sh": is configured to use API version client.authentication.k8s.io/v1, but returned "client.authentication.k8s.io/v1beta1""#)
    }

    @Test("a missing command names it and shows the install hint on one line") func missingCommand() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        let kubeconfig = try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM)
        var text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        text = text.replacingOccurrences(of: "command: ./bin/plugin.sh", with: """
            command: sealkit-test-no-such-plugin
                  installHint: |
                    sealkit-test-no-such-plugin is needed to log in.
                    Install it with: apt install no-such-plugin
            """)
        try text.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let client = try Self.client(kubeconfig)
        defer { Task { await client.shutdown() } }
        let error = try await #require(throws: KubeError.self) { try await client.list(.secrets, namespace: "ns") }
        #expect(error.message == #"exec plugin: executable "sealkit-test-no-such-plugin" not found; sealkit-test-no-such-plugin is needed to log in. Install it with: apt install no-such-plugin"#)
    }

    @Test("a failing plugin: its exit code and the last line of its stderr") func failingPlugin() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try plugin.fail(with: "token expired, run: login --again")
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        let error = try await #require(throws: KubeError.self) { try await client.list(.secrets, namespace: "ns") }
        #expect(error.message.hasSuffix(#"/bin/plugin.sh" failed with exit code 3: token expired, run: login --again"#))
        #expect(!error.message.contains("\n"))
    }

    @Test("output that is not a credential is refused without being quoted") func badOutput() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try Data(#"{"apiVersion": "client.authentication.k8s.io/v1", "status": {"clientKeyData": "SECRET-KEY"}}"#.utf8)
            .write(to: plugin.directory.appendingPathComponent("credential.json"))
        let client = try Self.client(try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await client.shutdown() } }
        let error = try await #require(throws: KubeError.self) { try await client.list(.secrets, namespace: "ns") }
        #expect(error.message.hasSuffix("returned only one of clientCertificateData and clientKeyData"))
        #expect(!error.message.contains("SECRET-KEY"))
    }

    @Test("args, env and KUBERNETES_EXEC_INFO with provideClusterInfo") func clusterInfo() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.server.stop() } }
        let plugin = try ExecPluginFixture()
        try plugin.returnToken("plugin-token")
        let kubeconfig = try plugin.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM, exec: """
            args: [get-token, --cluster-id, "prod 1"]
            env:
            - {name: PLUGIN_GREETING, value: from-kubeconfig}
            provideClusterInfo: true
            """, clusterExtra: """
            extensions:
            - name: client.authentication.k8s.io/exec
              extension: {audience: sealkit-tests, nested: {n: 1}}
            - name: something-else
              extension: {ignored: true}
            """)
        let client = try Self.client(kubeconfig)
        defer { Task { await client.shutdown() } }
        _ = try await client.list(.secrets, namespace: "ns")
        #expect(try plugin.text("args-1") == "get-token\n--cluster-id\nprod 1\n")
        #expect(try plugin.text("env-1") == "from-kubeconfig")
        let info = try #require(try plugin.execInfo(run: 1))
        #expect(info["kind"]?.scalar?.text == "ExecCredential")
        #expect(info["apiVersion"]?.scalar?.text == "client.authentication.k8s.io/v1")
        let spec = try #require(info["spec"]?.mapping)
        #expect(spec["interactive"]?.scalar?.text == "false")
        let cluster = try #require(spec["cluster"]?.mapping)
        #expect(cluster["server"]?.scalar?.text == setup.url.absoluteString)
        #expect(cluster["certificate-authority-data"]?.scalar?.text == Base64.encode(Array(setup.pki.caPEM.utf8)))
        #expect(cluster["insecure-skip-tls-verify"] == nil)
        #expect(cluster["config"]?.mapping?["audience"]?.scalar?.text == "sealkit-tests")
        #expect(cluster["config"]?.mapping?["nested"]?.mapping?["n"]?.scalar?.text == "1")

        // Without provideClusterInfo the plugin still learns whether it is interactive, nothing more.
        let plain = try ExecPluginFixture()
        try plain.returnToken("plugin-token")
        let plainClient = try Self.client(try plain.writeKubeconfig(server: setup.url, caPEM: setup.pki.caPEM))
        defer { Task { await plainClient.shutdown() } }
        _ = try await plainClient.list(.secrets, namespace: "ns")
        let plainSpec = try #require(try plain.execInfo(run: 1)?["spec"]?.mapping)
        #expect(plainSpec["cluster"] == nil)
        #expect(plainSpec["interactive"]?.scalar?.text == "false")
        #expect(try plain.text("env-1") == "from-parent", "the plugin inherits the environment")
    }

    @Test("interactiveMode follows kubectl's stdin rules", arguments: [
        // mode, stdin is a terminal, stdin in use, expected (nil = refused)
        ("Never", true, false, false as Bool?),
        ("IfAvailable", true, false, true),
        ("IfAvailable", false, false, false),
        ("IfAvailable", true, true, false),
        ("Always", true, false, true),
        ("Always", false, false, nil),
        ("Always", true, true, nil),
    ])
    func interactiveMode(_ mode: String, terminal: Bool, inUse: Bool, expected: Bool?) async throws {
        let plugin = try ExecPluginFixture()
        try plugin.returnToken("plugin-token")
        let exec = Mapping(["apiVersion": .string("client.authentication.k8s.io/v1"), "command": .string("./bin/plugin.sh"),
                            "interactiveMode": .string(mode)])
        let configuration = try ExecPluginConfiguration(exec, user: "u", baseDirectory: plugin.directory.path)
        let provider = ExecCredentialProvider(configuration: configuration, cluster: ExecClusterInfo(server: "https://x"),
                                              environment: Self.environment, standardInputInUse: inUse,
                                              standardInputIsTerminal: { terminal })
        // Interactive runs inherit this process's stdin and stderr; the plugin does not read them.
        let outcome: Result<Void, KubeError>
        do {
            _ = try await provider.credential()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        switch (outcome, expected) {
        case (.success, let expected?):
            #expect(try plugin.execInfo(run: 1)?["spec"]?.mapping?["interactive"]?.scalar?.boolValue == expected)
        case (.failure(let error), nil):
            #expect(error.message.contains("interactiveMode: Always"))
            #expect(plugin.runs == 0)
        default:
            Issue.record("unexpected outcome \(outcome) for \(mode)")
        }
    }

    @Test("bad exec stanzas are one-line configuration errors naming the user") func badConfiguration() throws {
        let cases: [(Mapping, String)] = [
            (Mapping(["apiVersion": .string("client.authentication.k8s.io/v1")]), #"user "u": exec: command is missing"#),
            (Mapping(["command": .string("x")]), #"user "u": exec: apiVersion is missing (use client.authentication.k8s.io/v1)"#),
            (Mapping(["command": .string("x"), "apiVersion": .string("client.authentication.k8s.io/v1alpha1")]),
             #"user "u": exec: apiVersion client.authentication.k8s.io/v1alpha1 is not supported (use client.authentication.k8s.io/v1 or v1beta1)"#),
            (Mapping(["command": .string("x"), "apiVersion": .string("client.authentication.k8s.io/v1")]),
             #"user "u": exec: interactiveMode is required with client.authentication.k8s.io/v1 (Never, IfAvailable or Always)"#),
            (Mapping(["command": .string("x"), "apiVersion": .string("client.authentication.k8s.io/v1"), "interactiveMode": .string("Sometimes")]),
             #"user "u": exec: interactiveMode "Sometimes" is not Never, IfAvailable or Always"#),
        ]
        for (exec, message) in cases {
            let error = try #require(throws: KubeError.self) { try ExecPluginConfiguration(exec, user: "u", baseDirectory: "/") }
            #expect(error.message == message)
        }
        let beta = try ExecPluginConfiguration(Mapping(["command": .string("x"), "apiVersion": .string("client.authentication.k8s.io/v1beta1")]),
                                               user: "u", baseDirectory: "/")
        #expect(beta.interactiveMode == .ifAvailable, "v1beta1 defaults to IfAvailable")
    }
}
