import Foundation
import KubeClient
import KubeTestServer
import SealKit
import Testing

/// The controller under a hostile API server: 5xx bursts, dropped watches, a 410, write
/// conflicts and a restart mid-stream. Whatever happens, the Secrets end up exactly as
/// expected, an unmanaged Secret is never touched, and nothing secret reaches the logs.
extension SerialSuites {
@Suite("Controller under faults", .serialized, .enabled(if: TestCluster.kubectlPath != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct ControllerFaultTests {
    static let sealer = Sealer(publicKey: try! Certificate(pem: Array(try! Data(contentsOf: Binaries.vectors.appendingPathComponent("cert.pem")))).publicKey)

    static func sealedSecret(_ name: String, values: [String: String]) throws -> KubeObject {
        var secret = Secret(metadata: ObjectMetadata(name: name, namespace: "faults"), type: "Opaque")
        secret.items = values.keys.sorted().map { .init(key: $0, value: SecretBytes(utf8: values[$0]!)) }
        return KubeObject(try sealer.seal(secret).node())
    }

    /// Distinctive plaintexts, so the log scrape can look for every one of them.
    static func values(_ index: Int, version: Int) -> [String: String] {
        ["password": "pw-\(index)-v\(version)-Zq9", "token": "tok-\(index)-v\(version)-Xk2", "user": "user-\(index)-Jm7"]
    }

    /// The test's own writes go through the same faulty server: retry them (conflicts and 5xx).
    static func retrying(_ body: () async throws -> Void) async throws {
        for attempt in 1 ... 20 {
            do { return try await body() } catch let error as KubeError where error.isAlreadyExists {
                return  // an earlier attempt got through before its answer was lost
            } catch where attempt < 20 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test("a status write that meets a 409 is made again on the latest version, without unsealing again")
    func statusConflict() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        try await cluster.installReferenceKey()
        let controller = try cluster.startController([], identity: "conflict")
        try await cluster.eventually("ready") { try await controller.get("/readyz").status == 200 }
        cluster.server.faults.failNext(2, with: .conflict, matching: .verb("update", resource: "sealedsecrets/status"))
        _ = try await cluster.client.create(.sealedSecrets, namespace: "faults", try Self.sealedSecret("contested", values: Self.values(7, version: 1)))
        try await cluster.eventually("Synced") { TestCluster.syncedCondition(await cluster.sealedSecret("faults", "contested"))?.status == "True" }
        func counter(_ name: String) async throws -> Double {
            let body = try await controller.get("/metrics", metrics: true).body
            let line = body.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            return line.flatMap { Double($0.split(separator: " ").last!) } ?? -1
        }
        #expect(try await counter("sealed_secrets_controller_unseal_decryptions_total") == 1, "one unseal, whatever the status write met")
        #expect(await cluster.server.receivedRequests.filter { $0.method == "PUT" && $0.uri.contains("/sealedsecrets/contested/status") }.count == 3)
    }

    @Test("5xx bursts, dropped watches, 410, 409s and a restart: final Secrets as expected, unmanaged untouched")
    func faults() async throws {
        let cluster = try await TestCluster.start(compactionWindow: 40)
        defer { Task { await cluster.stop() } }
        try await cluster.installReferenceKey()
        let client = cluster.client

        // An existing Secret that no SealedSecret may take over.
        var unmanaged = KubeObject(Secret(metadata: ObjectMetadata(name: "unmanaged", namespace: "faults"),
                                          items: [.init(key: "password", value: SecretBytes(utf8: "untouchable"))]).node())
        unmanaged = try await client.create(.secrets, namespace: "faults", unmanaged)
        _ = try await client.create(.sealedSecrets, namespace: "faults", try Self.sealedSecret("unmanaged", values: Self.values(999, version: 1)))

        var controller = try cluster.startController(["--workers", "2"], identity: "first")
        try await cluster.eventually("ready") { try await controller.get("/readyz").status == 200 }

        cluster.server.faults.failNext(8, with: .serviceUnavailable(retryAfterSeconds: nil))
        await cluster.server.faults.dropWatches(afterEvents: 5)
        var expected: [String: [String: String]] = [:]
        for index in 0 ..< 30 {
            expected["s-\(index)"] = Self.values(index, version: 1)
            let object = try Self.sealedSecret("s-\(index)", values: Self.values(index, version: 1))
            try await Self.retrying { _ = try await client.create(.sealedSecrets, namespace: "faults", object) }
            if index == 15 {
                // Restart mid-stream, without a chance to finish anything.
                await controller.stop(SIGKILL)
                await cluster.server.faults.expireWatches()
                controller = try cluster.startController(["--workers", "2"], identity: "second")
            }
        }
        cluster.server.faults.failNext(5, with: .internalServerError)

        // New versions of some objects while someone else edits their Secrets and the
        // SealedSecrets' metadata: the controller's writes meet 409s and must retry.
        for index in stride(from: 0, to: 30, by: 3) {
            try await cluster.eventually("s-\(index) to exist first") { await cluster.secret("faults", "s-\(index)") != nil }
            expected["s-\(index)"] = Self.values(index, version: 2)
            let fresh = try Self.sealedSecret("s-\(index)", values: Self.values(index, version: 2))
            try await Self.retrying {
                var sealed = try await client.get(.sealedSecrets, namespace: "faults", name: "s-\(index)")
                sealed["spec"] = fresh["spec"]
                _ = try await client.update(.sealedSecrets, sealed)
            }
            _ = try? await client.patch(.secrets, namespace: "faults", name: "s-\(index)",
                                        mergePatch: .mapping(Mapping(["metadata": .mapping(Mapping(["annotations": .mapping(Mapping(["edited": .string("by-someone")]))]))])))
            _ = try? await client.patch(.sealedSecrets, namespace: "faults", name: "s-\(index)",
                                        mergePatch: .mapping(Mapping(["metadata": .mapping(Mapping(["labels": .mapping(Mapping(["touched": .string("yes")]))]))])))
        }

        try await cluster.eventually(timeout: .seconds(60), "every Secret to match its latest SealedSecret") {
            for (name, values) in expected {
                guard let secret = await cluster.secret("faults", name), let data = secret["data"]?.mapping else { return false }
                for (key, value) in values where data[key]?.scalar?.text != Base64.encode(Array(value.utf8)) { return false }
                guard data.count == values.count else { return false }
            }
            return true
        }
        #expect(cluster.server.faults.pendingFailureCount == 0, "every injected failure was met")
        for name in expected.keys {
            let synced = TestCluster.syncedCondition(await cluster.sealedSecret("faults", name))
            #expect(synced?.status == "True", "\(name) should report Synced=True")
        }
        let after = try await client.get(.secrets, namespace: "faults", name: "unmanaged")
        #expect(after.resourceVersion == unmanaged.resourceVersion, "the unmanaged Secret was never modified")
        #expect(TestCluster.syncedCondition(await cluster.sealedSecret("faults", "unmanaged"))?.status == "False")

        // The whole run's debug logs hold no plaintext and no key material.
        var secrets = expected.values.flatMap(\.values) + Self.values(999, version: 1).values + ["untouchable"]
        secrets.append("PRIVATE KEY")
        cluster.expectLogsFree(of: secrets)
    }
}
}

extension TestCluster {
    /// Every controller log of this cluster, scraped for forbidden strings.
    func expectLogsFree(of secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let logs = logFiles.map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }
        let total = logs.reduce(0) { $0 + $1.count }
        #expect(total > 0, "there are logs to scrape", sourceLocation: sourceLocation)
        for secret in secrets {
            for (file, log) in zip(logFiles, logs) where log.contains(secret) {
                Issue.record("\(file.lastPathComponent) contains a secret value or key material", sourceLocation: sourceLocation)
            }
        }
    }
}
