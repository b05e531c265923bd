import Foundation
import KubeClient
import SealKit
import Testing
@testable import SealKitController

@Suite("Controller parts")
struct ControllerPartsTests {
    @Test("status: Synced and Ready conditions, times move only on change") func status() {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let first = SyncStatus().updated(generation: 1, error: nil, now: start)
        #expect(first.synced == true)
        #expect(first.observedGeneration == 1)
        #expect(first.conditions.map(\.type) == ["Synced", "Ready"])
        let same = first.updated(generation: 1, error: nil, now: start.addingTimeInterval(60))
        #expect(same == first, "an unchanged outcome must not cause a status write")
        let failed = first.updated(generation: 2, error: "no key could decrypt secret (password)", now: start.addingTimeInterval(120))
        #expect(failed.synced == false)
        #expect(failed.conditions[0].message == "no key could decrypt secret (password)")
        #expect(failed.conditions[0].lastTransitionTime != first.conditions[0].lastTransitionTime)
        // Round trip through the object tree.
        #expect(SyncStatus(node: failed.node()) == failed)
    }

    @Test("work queue: de-duplicates, never hands one key to two workers") func workQueue() async {
        let queue = WorkQueue(baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5))
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.count == 2)
        let first = await queue.next()
        #expect(first == "a")
        await queue.add("a")  // while processing: held back
        #expect(await queue.next() == "b")
        #expect(await queue.count == 0)
        await queue.done("a")  // now queued again
        #expect(await queue.next() == "a")
        await queue.done("a")
        await queue.done("b")
        #expect(await queue.retryLater("c") == 1)
        #expect(await queue.retryLater("c") == 2)
        #expect(await queue.next() == "c")  // arrives after its backoff
        await queue.forget("c")
        #expect(await queue.retries(of: "c") == 0)
        await queue.shutDown()
        #expect(await queue.next() == nil)
    }

    @Test("key ring: newest seals, all unseal, newest first") func keyRing() {
        let older = SealingKey(name: "old", privateKey: ControllerFixtures.otherKey.privateKey, certificate: ControllerFixtures.otherKey.certificate,
                               createdAt: Date(timeIntervalSince1970: 1))
        let newer = SealingKey(name: "new", privateKey: ControllerFixtures.key.privateKey, certificate: ControllerFixtures.key.certificate,
                               createdAt: Date(timeIntervalSince1970: 2))
        let ring = KeyRing([newer, older])
        #expect(ring.newest?.name == "new")
        #expect(ring.keys.map(\.name) == ["old", "new"])
        #expect(ring.privateKeys.first?.publicKey == newer.certificate.publicKey)
    }

    @Test("a key Secret written by Bitnami's controller loads unchanged") func bitnamiKeySecret() throws {
        let secret = ControllerFixtures.object("""
            apiVersion: v1
            kind: Secret
            type: kubernetes.io/tls
            metadata:
              name: sealed-secrets-key7x8cd
              namespace: kube-system
              labels: {sealedsecrets.bitnami.com/sealed-secrets-key: active}
            data:
              tls.crt: \(Base64.encode(ControllerFixtures.bytes("cert.pem")))
              tls.key: \(Base64.encode(ControllerFixtures.bytes("key.pem")))
            """)
        let key = try KeyRegistry.key(from: secret)
        #expect(key.name == "sealed-secrets-key7x8cd")
        #expect(key.fingerprint == "SHA256:Efm+uTBTnAB4fwRN9AKInuPCqRlEo6X+RWf6FcrDhpI")
        // A mismatched pair is rejected rather than sealing to a key nobody can open.
        let mismatched = ControllerFixtures.object("""
            apiVersion: v1
            kind: Secret
            metadata: {name: bad}
            data:
              tls.crt: \(Base64.encode(ControllerFixtures.bytes("other_cert.pem")))
              tls.key: \(Base64.encode(ControllerFixtures.bytes("key.pem")))
            """)
        #expect(throws: ManifestError.self) { try KeyRegistry.key(from: mismatched) }
    }

    @Test("metrics use Bitnami's names") func metricNames() {
        let metrics = ControllerMetrics(version: "test")
        metrics.recordUnsealRequest()
        metrics.recordUnsealError(reason: "unseal", namespace: "prod")
        metrics.recordCondition(namespace: "prod", name: "db", instance: "payments", condition: "Synced", status: false)
        metrics.recordHTTPRequest(path: "/v1/cert.pem", method: "GET", code: 200, duration: .milliseconds(3))
        metrics.recordKeys(KeyRing([ControllerFixtures.key]))
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        for expected in ["sealed_secrets_controller_unseal_requests_total 1",
                         #"sealed_secrets_controller_unseal_errors_total{reason="unseal",namespace="prod"} 1"#,
                         #"sealed_secrets_controller_condition_info{namespace="prod",name="db",condition="Synced",ss_app_kubernetes_io_instance="payments"} -1"#,
                         #"sealed_secrets_controller_build_info{revision="test"} 1"#,
                         "sealed_secrets_controller_http_requests_total",
                         "sealed_secrets_controller_http_request_duration_seconds_bucket",
                         "sealed_secrets_controller_keys 1",
                         "sealed_secrets_controller_key_expiry_timestamp_seconds",
                         "\nprocess_cpu_seconds_total ", "\nprocess_resident_memory_bytes ", "\nprocess_open_fds ",
                         "\nprocess_max_fds ", "\nprocess_start_time_seconds "] {
            #expect(text.contains(expected), "exposition should contain \(expected)")
        }
    }

    @Test("rate limiter allows the burst, then refuses") func rateLimiter() {
        let limiter = RateLimiter(perSecond: 0.001, burst: 3)
        #expect((0 ..< 3).allSatisfy { _ in limiter.allow(path: "/v1/verify", client: "a") })
        #expect(!limiter.allow(path: "/v1/verify", client: "a"))
    }

    @Test("rate limits are per path and per client") func rateLimiterKeys() {
        let limiter = RateLimiter(perSecond: 0.001, burst: 2)
        #expect(limiter.allow(path: "/v1/rotate", client: "a") && limiter.allow(path: "/v1/rotate", client: "a"))
        #expect(!limiter.allow(path: "/v1/rotate", client: "a"))
        #expect(limiter.allow(path: "/v1/verify", client: "a"), "another path has its own bucket")
        #expect(limiter.allow(path: "/v1/rotate", client: "b"), "another client has its own bucket")
    }

    /// Client names come from X-Forwarded-For, which a caller can set: a new name per request
    /// must not grow the table without bound, and must stay cheap.
    @Test("the bucket table stays bounded under 100 000 spoofed clients") func rateLimiterBounded() {
        let limiter = RateLimiter(perSecond: 0.001, burst: 1)
        let clock = ContinuousClock()
        var largest = 0
        let elapsed = clock.measure {
            for index in 0 ..< 100_000 {
                _ = limiter.allow(path: "/v1/verify", client: "10.\(index >> 16).\((index >> 8) & 255).\(index & 255)")
                largest = max(largest, limiter.bucketCount)
            }
        }
        #expect(largest <= RateLimiter.defaultMaximumBuckets)
        #expect(elapsed < .seconds(20), "eviction is amortized, not a scan per request")
        // A huge client name is cut, so one bucket stays small too.
        _ = limiter.allow(path: "/v1/verify", client: String(repeating: "x", count: 1 << 20))
        #expect(!limiter.allow(path: "/v1/verify", client: String(repeating: "x", count: 64)), "the same, cut, client")
    }

    @Test("refilled buckets are dropped before busy ones") func rateLimiterEvictsFullFirst() async throws {
        let limiter = RateLimiter(perSecond: 20, burst: 1, maximumBuckets: 4)
        #expect(limiter.allow(path: "/p", client: "idle"))
        try await Task.sleep(for: .milliseconds(200))  // "idle" refills completely
        for client in ["b", "c", "d"] { #expect(limiter.allow(path: "/p", client: client)) }
        #expect(limiter.allow(path: "/p", client: "e"), "room made by dropping the full bucket")
        #expect(limiter.bucketCount <= 4)
        #expect(!limiter.allow(path: "/p", client: "e"), "the new client's bucket was kept")
    }

    @Test("hostile limiter settings do not trap", arguments: [Double.nan, -1, .infinity, 0])
    func rateLimiterSettings(_ perSecond: Double) {
        let limiter = RateLimiter(perSecond: perSecond, burst: -5)
        _ = limiter.allow(path: "/v1/verify", client: "a")
        let other = RateLimiter(perSecond: perSecond, burst: 1)
        #expect(other.allow(path: "/v1/verify", client: "a"))
    }

    @Test("addresses parse as Bitnami writes them") func addresses() {
        #expect(ControllerConfiguration.parseAddress(":8080")! == ("0.0.0.0", 8080))
        #expect(ControllerConfiguration.parseAddress("127.0.0.1:0")! == ("127.0.0.1", 0))
        #expect(ControllerConfiguration.parseAddress("[::1]:9")! == ("::1", 9))
        #expect(ControllerConfiguration.parseAddress("nope") == nil)
    }

    @Test("lease times are MicroTime with six fractional digits") func microTime() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.25)
        let text = LeaderElector.microTime(date)
        #expect(text == "2023-11-14T22:13:20.250000Z")
        #expect(LeaderElector.parseMicroTime(text).map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
    }
}

@Suite("Key states")
struct KeyStateTests {
    @Test("retired keys unseal but never seal; compromised keys do neither") func states() throws {
        let retiredNewest = SealingKey(name: "retired", privateKey: ControllerFixtures.otherKey.privateKey,
                                       certificate: ControllerFixtures.otherKey.certificate, createdAt: Date(timeIntervalSince1970: 9), state: .retired)
        let active = SealingKey(name: "active", privateKey: ControllerFixtures.key.privateKey, certificate: ControllerFixtures.key.certificate,
                                createdAt: Date(timeIntervalSince1970: 1))
        let ring = KeyRing([retiredNewest, active])
        #expect(ring.newest?.name == "active", "a retired key never seals, even when newest")
        #expect(ring.unsealingKeys.map(\.name) == ["retired", "active"])
        let compromised = SealingKey(name: "bad", privateKey: ControllerFixtures.key.privateKey, certificate: ControllerFixtures.key.certificate,
                                     state: .compromised)
        let ring2 = KeyRing([compromised])
        #expect(ring2.newest == nil)
        #expect(ring2.privateKeys.isEmpty)
        #expect(ring2.compromised.map(\.name) == ["bad"])
    }

    @Test("the state comes from the key label; unknown states are refused") func labelState() throws {
        func secret(_ state: String) -> KubeObject {
            ControllerFixtures.object("""
                apiVersion: v1
                kind: Secret
                metadata: {name: k, labels: {sealedsecrets.bitnami.com/sealed-secrets-key: \(state)}}
                data:
                  tls.crt: \(Base64.encode(ControllerFixtures.bytes("cert.pem")))
                  tls.key: \(Base64.encode(ControllerFixtures.bytes("key.pem")))
                """)
        }
        #expect(try KeyRegistry.key(from: secret("retired")).state == .retired)
        #expect(try KeyRegistry.key(from: secret("compromised")).state == .compromised)
        #expect(throws: ManifestError.self) { try KeyRegistry.key(from: secret("maybe")) }
    }

    @Test("objects per key are counted incrementally: only changed totals are reported, and drop to zero") func usage() {
        let usage = KeyUsage()
        #expect(usage.record("a/x", fingerprints: ["k1"]) == ["k1": 1])
        #expect(usage.record("a/y", fingerprints: ["k1", "k2"]) == ["k1": 2, "k2": 1])
        #expect(usage.record("a/y", fingerprints: ["k2"]) == ["k1": 1])
        #expect(usage.record("a/y", fingerprints: ["k2"]) == [:])
        #expect(usage.byPopularity(["k0", "k1", "k2", "k3"]) == ["k1", "k2", "k0", "k3"])
        #expect(usage.forget("a/x") == ["k1": 0])
        #expect(usage.forget("a/y") == ["k2": 0])
        #expect(usage.byPopularity(["k2", "k1"]) == ["k2", "k1"])
    }
}
