import Foundation
import KubeTestServer
import SealKit
import TestSupport
import Testing
@testable import KubeClient

/// The client against the test API server over real HTTPS, with a CA and either a bearer token
/// or a client certificate.
@Suite("KubeClient against the API server", .serialized)
struct ServerTests {
    enum Credential { case token, clientCertificate }

    struct Setup {
        let server: KubeAPIServer
        let client: KubeClient

        func stop() async {
            await client.shutdown()
            await server.stop()
        }
    }

    static func start(_ credential: Credential = .token, compactionWindow: Int = 1000) async throws -> Setup {
        let pki = try await TestCertificates.shared
        var configuration = KubeAPIServer.Configuration()
        configuration.compactionWindow = compactionWindow
        configuration.bookmarkInterval = .milliseconds(300)
        switch credential {
        case .token:
            configuration.tls = .init(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM)
            configuration.bearerTokens = ["client-token"]
        case .clientCertificate:
            configuration.tls = .init(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM, clientCAPEM: pki.caPEM)
        }
        let server = KubeAPIServer(configuration: configuration)
        let url = try await server.start()
        var connection = ClusterConnection(server: url, certificateAuthorityPEM: Array(pki.caPEM.utf8))
        switch credential {
        case .token: connection.credentials = .bearer(TokenSource(token: "client-token"))
        case .clientCertificate:
            connection.clientCertificatePEM = Array(pki.clientCertificatePEM.utf8)
            connection.clientKeyPEM = SecretBytes(utf8: pki.clientKeyPEM)
        }
        let client = try KubeClient(connection: connection, retryPolicy: RetryPolicy(maximumAttempts: 5, baseDelay: .milliseconds(20)))
        return Setup(server: server, client: client)
    }

    static func secret(_ name: String, namespace: String = "ns", value: String = "v", labels: [String: String] = [:]) -> KubeObject {
        var metadata = ObjectMetadata(name: name, namespace: namespace)
        metadata.labels = labels
        return KubeObject(Secret(metadata: metadata, items: [.init(key: "k", value: SecretBytes(utf8: value))]).node())
    }

    @Test("CRUD, status subresource and errors with the server's message", arguments: [Credential.token, .clientCertificate])
    func crud(_ credential: Credential) async throws {
        let setup = try await Self.start(credential)
        defer { Task { await setup.stop() } }
        let client = setup.client
        let created = try await client.create(.secrets, namespace: "ns", Self.secret("a"))
        #expect(created.uid != nil)
        #expect(try await client.get(.secrets, namespace: "ns", name: "a").resourceVersion == created.resourceVersion)

        var changed = created
        changed["data"] = .mapping(Mapping(["k": .string(Base64.encode(Array("w".utf8)))]))
        let updated = try await client.update(.secrets, changed)
        #expect(updated.resourceVersion != created.resourceVersion)

        // A write based on a stale version is a typed conflict.
        let conflict = try await #require(throws: KubeError.self) { try await client.update(.secrets, changed) }
        #expect(conflict.isConflict)
        #expect(conflict.message.contains("the object has been modified"))

        let patched = try await client.patch(.secrets, namespace: "ns", name: "a",
                                             mergePatch: .mapping(Mapping(["metadata": .mapping(Mapping(["labels": .mapping(Mapping(["x": .string("y")]))]))])))
        #expect(patched.metadata.labels == ["x": "y"])

        let missing = try await #require(throws: KubeError.self) { try await client.get(.secrets, namespace: "ns", name: "nope") }
        #expect(missing.isNotFound)
        #expect(missing.message == #"secrets "nope" not found"#)

        // generateName and the status subresource on a SealedSecret.
        let sealed = KubeObject(.mapping(Mapping([
            "apiVersion": .string("bitnami.com/v1alpha1"), "kind": .string("SealedSecret"),
            "metadata": .mapping(Mapping(["generateName": .string("gen-")])),
            "spec": .mapping(Mapping(["encryptedData": .mapping(Mapping(["k": .string("AgB")]))])),
        ])))
        var object = try await client.create(.sealedSecrets, namespace: "ns", sealed)
        #expect(object.name?.hasPrefix("gen-") == true)
        object["status"] = .mapping(Mapping(["observedGeneration": .int(1)]))
        let withStatus = try await client.updateStatus(.sealedSecrets, object)
        #expect(withStatus["status"]?.mapping?["observedGeneration"]?.scalar?.text == "1")
        #expect(withStatus.generation == 1, "a status write does not bump the generation")

        try await client.delete(.secrets, namespace: "ns", name: "a")
        #expect(try await client.list(.secrets, namespace: "ns").items.isEmpty)

        setup.server.faults.forbid(AccessRule(verb: "get", resource: "secrets", namespace: "ns"))
        let forbidden = try await #require(throws: KubeError.self) { try await client.get(.secrets, namespace: "ns", name: "b") }
        #expect(forbidden.isForbidden)
        #expect(forbidden.message.contains(#"secrets "b" is forbidden"#))
    }

    @Test("5 000 objects list in pages; selectors filter") func largeList() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        for index in 0 ..< 5000 {
            _ = try await setup.server.create(
                .object(["apiVersion": "v1", "kind": "Secret",
                         "metadata": .object(["name": .string("s-\(index)"), "labels": .object(["parity": .string(index % 2 == 0 ? "even" : "odd")])])]),
                in: .secrets, namespace: "bulk")
        }
        var pages = 0
        var seen = Set<String>()
        try await setup.client.listPages(.secrets, namespace: "bulk", options: ListOptions(limit: 500)) { page, _ in
            pages += 1
            for object in page { seen.insert(object.name ?? "") }
        }
        #expect(seen.count == 5000)
        #expect(pages == 10, "bounded memory: read 500 at a time")
        let odd = try await setup.client.list(.secrets, namespace: "bulk", options: ListOptions(labelSelector: "parity=odd"))
        #expect(odd.items.count == 2500)
        let one = try await setup.client.list(.secrets, namespace: nil, options: ListOptions(fieldSelector: "metadata.name=s-42"))
        #expect(one.items.map(\.key) == ["bulk/s-42"])
    }

    @Test("429 and 503 are retried (honouring Retry-After); 500 on a write is not") func retries() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        _ = try await setup.client.create(.secrets, namespace: "ns", Self.secret("a"))
        setup.server.faults.failNext(2, with: .tooManyRequests(retryAfterSeconds: 0))
        #expect(try await setup.client.get(.secrets, namespace: "ns", name: "a").name == "a")
        setup.server.faults.failNext(2, with: .serviceUnavailable(retryAfterSeconds: nil))
        #expect(try await setup.client.list(.secrets, namespace: "ns").items.count == 1)
        #expect(setup.server.faults.pendingFailureCount == 0)
        setup.server.faults.failNext(1, with: .internalServerError, matching: .verb("create"))
        let failed = try await #require(throws: KubeError.self) { try await setup.client.create(.secrets, namespace: "ns", Self.secret("b")) }
        #expect(failed.statusCode == 500)
    }

    /// Regression: `Retry-After: 1e300` (or `inf`, `nan`, a 40-digit number) used to trap in
    /// the conversion to milliseconds, killing the controller. Each is now capped or ignored.
    @Test("hostile Retry-After headers are capped or ignored", arguments: ["1e300", "inf", "-1", "nan", "99999999999999999999999999999999999999", "1.5"])
    func hostileRetryAfter(_ header: String) async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let client = try KubeClient(connection: setup.client.connection,
                                    retryPolicy: RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(10), maximumDelay: .milliseconds(200)))
        defer { Task { await client.shutdown() } }
        _ = try await client.create(.secrets, namespace: "ns", Self.secret("a"))
        setup.server.faults.failNext(2, with: .throttled(retryAfterHeader: header))
        let started = ContinuousClock.now
        #expect(try await client.get(.secrets, namespace: "ns", name: "a").name == "a")
        #expect(started.duration(to: .now) < .seconds(5), "waits are capped at maximumDelay")
        #expect(setup.server.faults.pendingFailureCount == 0)
    }

    /// A consumer following a collection through a dropped stream and a 410 ends up with exactly
    /// the server's objects and versions: nothing lost, nothing doubled.
    @Test("list+watch survives a dropped watch and a 410") func watchResilience() async throws {
        let setup = try await Self.start(compactionWindow: 20)
        defer { Task { await setup.stop() } }
        for index in 0 ..< 10 { _ = try await setup.client.create(.secrets, namespace: "ns", Self.secret("pre-\(index)")) }

        let watcher = ResourceWatcher(client: setup.client, resource: .secrets, namespace: "ns", watchTimeoutSeconds: 30)
        let view = View()
        let consumer = Task {
            for await change in watcher.changes() { await view.apply(change) }
        }
        defer { consumer.cancel() }
        try await eventually { await view.isSynced(count: 10) }

        // Drop the stream after a few events, while changes keep coming.
        await setup.server.faults.dropWatches(afterEvents: 3)
        for index in 0 ..< 10 { _ = try await setup.client.create(.secrets, namespace: "ns", Self.secret("mid-\(index)")) }
        // Expire watches and push the history past the compaction window: resume fails with 410.
        await setup.server.faults.expireWatches()
        for index in 0 ..< 30 {
            var object = try await setup.client.get(.secrets, namespace: "ns", name: "mid-\(index % 10)")
            object["data"] = .mapping(Mapping(["k": .string(Base64.encode(Array("v\(index)".utf8)))]))
            _ = try await setup.client.update(.secrets, object)
        }
        for index in 0 ..< 5 { try await setup.client.delete(.secrets, namespace: "ns", name: "pre-\(index)") }

        let expected = try await setup.client.list(.secrets, namespace: "ns").items
        let truth = Dictionary(uniqueKeysWithValues: expected.map { ($0.key, $0.resourceVersion ?? "") })
        try await eventually(timeout: .seconds(20)) { await view.versions == truth }
        #expect(await view.duplicates == 0, "no event delivered twice")
        #expect(watcher.lists >= 2, "a 410 forced a new list")
        // The view can match before the watch after the re-list has opened: wait for it.
        // (On a loaded machine a failed attempt may sit in its backoff, up to 30 s, first.)
        try await eventually(timeout: .seconds(45)) { watcher.watches >= 3 }
        #expect(watcher.watches >= 3, "dropped streams were resumed")
        #expect(await view.versions == truth)
    }

    /// The consumer's view, with a count of changes that repeated what it already had.
    actor View {
        var objects: [String: KubeObject] = [:]
        var synced = false
        var duplicates = 0

        var versions: [String: String] { objects.mapValues { $0.resourceVersion ?? "" } }

        func isSynced(count: Int) -> Bool { synced && objects.count == count }

        func apply(_ change: ResourceWatcher.Change) {
            switch change {
            case .added(let object):
                if objects[object.key] != nil { duplicates += 1 }
                objects[object.key] = object
            case .modified(let object):
                if objects[object.key]?.resourceVersion == object.resourceVersion { duplicates += 1 }
                objects[object.key] = object
            case .deleted(let object):
                if objects.removeValue(forKey: object.key) == nil { duplicates += 1 }
            case .synced:
                synced = true
            }
        }
    }
}
