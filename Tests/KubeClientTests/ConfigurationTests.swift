import Foundation
import NIOCore
import SealKit
import Testing
@testable import KubeClient

@Suite("Cluster configuration")
struct ConfigurationTests {
    final class Directory {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("kubeclient-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        func write(_ name: String, _ text: String) throws -> String {
            let path = url.appendingPathComponent(name).path
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        current-context: dev
        contexts:
        - name: dev
          context: {cluster: local, user: alice, namespace: team-a}
        - name: certs
          context: {cluster: local, user: bob}
        - name: plugin
          context: {cluster: local, user: carol}
        - name: sni
          context: {cluster: sni, user: alice}
        clusters:
        - name: local
          cluster: {server: "https://127.0.0.1:6443/", certificate-authority: certs/ca.pem}
        - name: sni
          cluster: {server: "https://10.0.0.1", tls-server-name: api.internal}
        users:
        - name: alice
          user: {tokenFile: token}
        - name: bob
          user: {client-certificate-data: Y2VydA==, client-key: certs/key.pem}
        - name: carol
          user: {exec: {command: aws, args: [eks, get-token]}}
        """

    @Test("a context resolves server, CA (relative to the kubeconfig), token file and namespace") func resolve() throws {
        let directory = try Directory()
        let config = try directory.write("config", Self.kubeconfig)
        _ = try directory.write("certs/ca.pem", "CA PEM")
        _ = try directory.write("certs/key.pem", "KEY PEM")
        _ = try directory.write("token", "secret-token\n")
        let connection = try ClusterConnection.resolve(kubeconfigPath: config, context: nil, environment: [:])
        #expect(connection.server.absoluteString == "https://127.0.0.1:6443")
        #expect(connection.namespace == "team-a")
        #expect(connection.certificateAuthorityPEM == Array("CA PEM".utf8))
        guard case .bearer(let source) = connection.credentials else { Issue.record("expected a bearer token"); return }
        #expect(try source.current() == SecretBytes(utf8: "secret-token"))

        let certs = try ClusterConnection.resolve(kubeconfigPath: config, context: "certs", environment: [:])
        #expect(certs.clientCertificatePEM == Array("cert".utf8))
        #expect(certs.clientKeyPEM == SecretBytes(utf8: "KEY PEM"))
        #expect(certs.namespace == "default")
    }

    @Test("unsupported credentials are refused with a clear message; tls-server-name is read") func unsupported() throws {
        let directory = try Directory()
        let config = try directory.write("config", Self.kubeconfig)
        _ = try directory.write("certs/ca.pem", "CA PEM")
        _ = try directory.write("token", "t")
        let plugin = try #require(throws: KubeError.self) { try ClusterConnection.resolve(kubeconfigPath: config, context: "plugin", environment: [:]) }
        #expect(plugin.message == #"user "carol": exec: apiVersion is missing (use client.authentication.k8s.io/v1)"#)
        let sni = try ClusterConnection.resolve(kubeconfigPath: config, context: "sni", environment: [:])
        #expect(sni.tlsServerName == "api.internal")
        let missing = try #require(throws: KubeError.self) { try ClusterConnection.resolve(kubeconfigPath: config, context: "nope", environment: [:]) }
        #expect(missing.message.contains("\"nope\""))
    }

    @Test("KUBECONFIG merges files: the first to set a value wins") func merge() throws {
        let directory = try Directory()
        let first = try directory.write("a", "current-context: one\ncontexts:\n- name: one\n  context: {cluster: c, user: u, namespace: first}\n")
        let second = try directory.write("b", """
            current-context: two
            contexts:
            - name: one
              context: {cluster: c, user: u, namespace: ignored}
            clusters:
            - name: c
              cluster: {server: "http://127.0.0.1:8001"}
            users:
            - name: u
              user: {token: abc}
            """)
        let connection = try ClusterConnection.resolve(kubeconfigPath: nil, context: nil, environment: ["KUBECONFIG": "\(first):/missing:\(second)"])
        #expect(connection.namespace == "first")
        #expect(connection.server.absoluteString == "http://127.0.0.1:8001")
    }

    @Test("KUBECONFIG: entries from different files combine; relative paths resolve against their own file") func mergeAcrossFiles() throws {
        let directory = try Directory()
        let first = try directory.write("one/config", """
            contexts:
            - {name: prod, context: {cluster: prod, user: deployer, namespace: apps}}
            clusters:
            - {name: prod, cluster: {server: "https://10.0.0.1:6443", certificate-authority: ca.pem}}
            """)
        _ = try directory.write("one/ca.pem", "CA FROM ONE")
        let second = try directory.write("two/config", """
            current-context: prod
            clusters:
            - {name: prod, cluster: {server: "https://ignored.example"}}
            users:
            - {name: deployer, user: {tokenFile: token}}
            """)
        _ = try directory.write("two/token", "token-from-two")
        let connection = try ClusterConnection.resolve(kubeconfigPath: nil, context: nil, environment: ["KUBECONFIG": "\(first):\(second)"])
        #expect(connection.server.absoluteString == "https://10.0.0.1:6443", "the first file to define a cluster wins")
        #expect(connection.certificateAuthorityPEM == Array("CA FROM ONE".utf8))
        #expect(connection.namespace == "apps")
        guard case .bearer(let source) = connection.credentials else { Issue.record("expected a token"); return }
        #expect(try source.current() == SecretBytes(utf8: "token-from-two"))
    }

    @Test("in-cluster: service-account token (re-read when it rotates), CA and namespace") func inCluster() throws {
        let directory = try Directory()
        _ = try directory.write("sa/ca.crt", "CA")
        _ = try directory.write("sa/namespace", "kube-system\n")
        let tokenPath = try directory.write("sa/token", "first")
        let connection = try ClusterConnection.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            serviceAccountDirectory: directory.url.appendingPathComponent("sa").path)
        #expect(connection.server.absoluteString == "https://10.96.0.1:443")
        #expect(connection.namespace == "kube-system")
        guard case .bearer(let source) = connection.credentials else { Issue.record("expected a token"); return }
        #expect(try source.current() == SecretBytes(utf8: "first"))
        try Data("second".utf8).write(to: URL(fileURLWithPath: tokenPath))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: tokenPath)
        #expect(try source.current() == SecretBytes(utf8: "second"))
    }

    @Test("no kubeconfig and not in a cluster: one clear error") func nothing() {
        let error = try? #require(throws: KubeError.self) {
            try ClusterConnection.resolve(kubeconfigPath: nil, context: nil, environment: ["HOME": "/nonexistent"])
        }
        #expect(error?.message.contains("no kubeconfig") == true)
    }
}

@Suite("Watch stream decoding")
struct WatchDecodingTests {
    @Test("lines split across chunks are reassembled") func splitting() throws {
        var splitter = LineSplitter(maximumLength: 1024)
        #expect(try splitter.append(ByteBuffer(string: "{\"a\":")).isEmpty)
        let lines = try splitter.append(ByteBuffer(string: "1}\n{\"b\":2}\n{\"c\""))
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":2}"])
        #expect(throws: KubeError.self) { _ = try splitter.append(ByteBuffer(string: String(repeating: "x", count: 2000))) }
    }

    @Test("events decode; an ERROR event with 410 is Gone") func events() throws {
        let added = try KubeClient.decodeEvent(Array(#"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"n","resourceVersion":"5"}}}"#.utf8),
                                               resource: .secrets)
        guard case .added(let object) = added else { Issue.record("expected ADDED"); return }
        #expect(object.key == "n/a")
        #expect(object.resourceVersion == "5")
        let bookmark = try KubeClient.decodeEvent(Array(#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#.utf8), resource: .secrets)
        guard case .bookmark(let version) = bookmark else { Issue.record("expected BOOKMARK"); return }
        #expect(version == "9")
        let gone = try #require(throws: KubeError.self) {
            try KubeClient.decodeEvent(Array(#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (50)"}}"#.utf8),
                                       resource: .secrets)
        }
        #expect(gone.isGone)
        #expect(gone.message.contains("too old"))
    }

    @Test("backoff grows, is capped, and honours Retry-After") func backoff() {
        let policy = RetryPolicy(maximumAttempts: 5, baseDelay: .milliseconds(100), maximumDelay: .seconds(1))
        for attempt in 1 ... 10 {
            #expect(policy.delay(attempt: attempt) <= .seconds(1))
        }
        #expect(policy.delay(attempt: 1, retryAfter: 0.5) == .milliseconds(500))
        #expect(policy.delay(attempt: 1, retryAfter: 60) == .seconds(1))
    }

    @Test("paths escape names and build group URLs") func paths() {
        #expect(ResourceType.secrets.objectPath(namespace: "ns", name: "a b") == "/api/v1/namespaces/ns/secrets/a%20b")
        #expect(ResourceType.sealedSecrets.collectionPath(namespace: nil) == "/apis/bitnami.com/v1alpha1/sealedsecrets")
        #expect(ResourceType.leases.collectionPath(namespace: "kube-system") == "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases")
    }
}
