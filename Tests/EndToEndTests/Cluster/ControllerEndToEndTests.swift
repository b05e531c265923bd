import Foundation
import KubeClient
import KubeTestServer
import SealKit
import Testing
import TestSupport

/// The built `sealkit-controller` against the test API server, driven by the built `sealkit`
/// and by kubectl, as a user would run them.
extension SerialSuites {
@Suite("Controller end to end", .serialized, .enabled(if: TestCluster.kubectlPath != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct ControllerEndToEndTests {
    static let secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          labels: {app: db}
          annotations: {team: payments}
        type: Opaque
        stringData: {password: hunter2, user: dbuser-7Qx}
        """

    /// One controller with the reference key and the Service in place.
    private func cluster(_ arguments: [String] = []) async throws -> (TestCluster, ControllerProcess) {
        try await TestCluster.withController(arguments)
    }

    @Test("sealkit seals with the fetched cert; the controller writes the Secret, status, owner; updates and deletes are handled")
    func lifecycle() async throws {
        let (cluster, controller) = try await cluster()
        defer { Task { await cluster.stop() } }

        let fetched = try await cluster.sealkit(["--fetch-cert"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdout.hasPrefix("-----BEGIN CERTIFICATE-----"))

        // The sealing page is in the controller binary itself (no bundle beside it): / leads
        // to it, and its script asks this same port for the certificate.
        let root = try await controller.get("/")
        #expect(root.status == 302)
        let script = try await controller.get("/ui/app.js")
        #expect(script.status == 200)
        #expect(script.body.contains("fetch('../v1/cert.pem'"))

        let sealed = try await cluster.sealkit(["-o", "yaml"], stdin: Self.secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let applied = try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: sealed.stdout)
        #expect(applied.status == 0, "\(applied.stderr)")

        try await cluster.eventually("the Secret") { await cluster.secret("prod", "db") != nil }
        let secret = try #require(await cluster.secret("prod", "db"))
        let owner = try #require(await cluster.sealedSecret("prod", "db"))
        #expect(secret["data"]?.mapping?["password"]?.scalar?.text == Base64.encode(Array("hunter2".utf8)))
        #expect(secret["type"]?.scalar?.text == "Opaque")
        #expect(secret.metadata.labels == ["app": "db"])
        #expect(secret.metadata.annotations["team"] == "payments")
        let references = secret.metadata.fields["ownerReferences"]?.sequence?.first?.mapping
        #expect(references?["uid"]?.scalar?.text == owner.uid)
        #expect(references?["kind"]?.scalar?.text == "SealedSecret")
        #expect(references?["controller"]?.scalar?.boolValue == true)

        try await cluster.eventually("Synced=True with observedGeneration") {
            let object = await cluster.sealedSecret("prod", "db")
            return TestCluster.syncedCondition(object)?.status == "True"
                && object?["status"]?.mapping?["observedGeneration"]?.scalar?.text == object?.generation.map(String.init)
        }

        // An update re-unseals.
        let changed = try await cluster.sealkit(["-o", "yaml"], stdin: Self.secret.replacingOccurrences(of: "hunter2", with: "rotated"))
        #expect(try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: changed.stdout).status == 0)
        try await cluster.eventually("the updated value") {
            await cluster.secret("prod", "db")?["data"]?.mapping?["password"]?.scalar?.text == Base64.encode(Array("rotated".utf8))
        }

        // Deleting the owned Secret recreates it.
        #expect(try await cluster.kubectl(["delete", "secret", "db", "-n", "prod"]).status == 0)
        try await cluster.eventually("the Secret to come back") { await cluster.secret("prod", "db") != nil }

        // The controller's API through the proxy, driven by sealkit.
        let validated = try await cluster.sealkit(["--validate"], stdin: changed.stdout)
        #expect(validated.status == 0, "\(validated.stderr)")
        let reEncrypted = try await cluster.sealkit(["--re-encrypt", "-o", "yaml"], stdin: changed.stdout)
        #expect(reEncrypted.status == 0, "\(reEncrypted.stderr)")
        #expect(reEncrypted.stdout.contains("kind: SealedSecret"))

        // Events and metrics.
        let events = try await cluster.kubectl(["get", "events", "-n", "prod", "-o", "json"])
        #expect(events.stdout.contains("\"Unsealed\""))
        let metrics = try await controller.get("/metrics", metrics: true)
        #expect(metrics.body.contains("sealed_secrets_controller_unseal_requests_total"))
        #expect(metrics.body.contains(#"sealed_secrets_controller_condition_info{namespace="prod",name="db",condition="Synced",ss_app_kubernetes_io_instance=""} 1"#))
        cluster.expectLogsFree(of: ["hunter2", "rotated", "dbuser-7Qx", "PRIVATE KEY"])
    }

    @Test("the reference manifests produce their expected Secrets; the renamed one fails and writes nothing")
    func referenceManifests() async throws {
        let (cluster, _) = try await cluster()
        defer { Task { await cluster.stop() } }
        let directory = Binaries.vectors.appendingPathComponent("manifests")
        let names = ["01-strict-opaque", "02-namespace-wide-dockerconfig", "03-cluster-wide-tls-skip-owner",
                     "ext-04-template-data", "ext-06-legacy-v1-data", "neg-05-renamed"]
        for name in names {
            let manifest = try String(contentsOf: directory.appendingPathComponent("\(name).sealedsecret.yaml"), encoding: .utf8)
            let applied = try await cluster.kubectl(["create", "--validate=false", "-f", "-"], stdin: manifest)
            #expect(applied.status == 0, "\(name): \(applied.stderr)")
        }
        for name in names where !name.hasPrefix("neg-") {
            let expected = try YAMLReader.manifests(Array(try Data(contentsOf: directory.appendingPathComponent("\(name).expected-secret.json"))))[0].root
            let metadata = expected.mapping!["metadata"]!.mapping!
            let namespace = metadata["namespace"]!.scalar!.text, secretName = metadata["name"]!.scalar!.text
            try await cluster.eventually("\(name) to produce its Secret") { await cluster.secret(namespace, secretName) != nil }
            let secret = try #require(await cluster.secret(namespace, secretName))
            let owner = try #require(await cluster.sealedSecret(namespace, secretName))
            #expect(secret["data"]?.canonicalJSON == expected.mapping?["data"]?.canonicalJSON, "\(name): data")
            #expect(secret["type"]?.scalar?.text == expected.mapping?["type"]?.scalar?.text, "\(name): type")
            #expect(secret.metadata.labels == ObjectMetadata(metadata).labels, "\(name): labels")
            #expect(secret.metadata.annotations == ObjectMetadata(metadata).annotations, "\(name): annotations")
            let wantsOwner = metadata["ownerReferences"] != nil
            let owners = secret.metadata.fields["ownerReferences"]?.sequence ?? []
            #expect(owners.count == (wantsOwner ? 1 : 0), "\(name): owner references")
            if wantsOwner { #expect(owners.first?.mapping?["uid"]?.scalar?.text == owner.uid) }
        }
        try await cluster.eventually("the renamed manifest to report Synced=False") {
            TestCluster.syncedCondition(await cluster.sealedSecret("prod", "db-credentials-copy"))?.status == "False"
        }
        let condition = TestCluster.syncedCondition(await cluster.sealedSecret("prod", "db-credentials-copy"))
        #expect(condition?.message == "no key could decrypt secret (password)")
        #expect(await cluster.secret("prod", "db-credentials-copy") == nil)
    }

    @Test("managed, patch, unmanaged and immutable Secrets (DESIGN 1.4)") func writeRules() async throws {
        let (cluster, _) = try await cluster()
        defer { Task { await cluster.stop() } }
        func existing(_ name: String, annotations: String, immutable: Bool = false) async throws {
            let result = try await cluster.kubectl(["create", "-f", "-"], stdin: """
                apiVersion: v1
                kind: Secret
                metadata: {name: \(name), namespace: rules, annotations: \(annotations), labels: {keep: me}}
                \(immutable ? "immutable: true" : "")
                data: {password: b2xk, other: a2VlcA==}
                """)
            #expect(result.status == 0, "\(result.stderr)")
        }
        try await existing("managed", annotations: "{sealedsecrets.bitnami.com/managed: \"true\"}")
        try await existing("patched", annotations: "{sealedsecrets.bitnami.com/patch: \"true\"}")
        try await existing("unmanaged", annotations: "{}")
        for name in ["managed", "patched", "unmanaged", "fresh-immutable"] {
            let secret = Self.secret.replacingOccurrences(of: "name: db", with: "name: \(name)").replacingOccurrences(of: "prod", with: "rules")
                + (name == "fresh-immutable" ? "\nimmutable: true" : "")
            let sealed = try await cluster.sealkit(["-o", "yaml"], stdin: secret)
            #expect(try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: sealed.stdout).status == 0)
        }
        let new = Base64.encode(Array("hunter2".utf8))
        try await cluster.eventually("the managed Secret to be taken over") {
            let secret = await cluster.secret("rules", "managed")
            return secret?["data"]?.mapping?["password"]?.scalar?.text == new && secret?["data"]?.mapping?["other"] == nil
        }
        try await cluster.eventually("the patched Secret to be merged") {
            let secret = await cluster.secret("rules", "patched")
            return secret?["data"]?.mapping?["password"]?.scalar?.text == new && secret?["data"]?.mapping?["other"] != nil
                && secret?.metadata.labels["keep"] == "me"
        }
        try await cluster.eventually("the unmanaged one to be refused") {
            TestCluster.syncedCondition(await cluster.sealedSecret("rules", "unmanaged"))?.status == "False"
        }
        #expect(TestCluster.syncedCondition(await cluster.sealedSecret("rules", "unmanaged"))?.message.contains("not managed by SealedSecret") == true)
        #expect(await cluster.secret("rules", "unmanaged")?["data"]?.mapping?["password"]?.scalar?.text == "b2xk", "left untouched")

        // Immutable: a new version replaces the Secret whole.
        try await cluster.eventually("the immutable Secret") { await cluster.secret("rules", "fresh-immutable") != nil }
        let firstUID = await cluster.secret("rules", "fresh-immutable")?.uid
        let secret = Self.secret.replacingOccurrences(of: "name: db", with: "name: fresh-immutable").replacingOccurrences(of: "prod", with: "rules")
            .replacingOccurrences(of: "hunter2", with: "second") + "\nimmutable: true"
        let sealed = try await cluster.sealkit(["-o", "yaml"], stdin: secret)
        #expect(try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: sealed.stdout).status == 0)
        try await cluster.eventually("the immutable Secret to be replaced") {
            let secret = await cluster.secret("rules", "fresh-immutable")
            return secret?["data"]?.mapping?["password"]?.scalar?.text == Base64.encode(Array("second".utf8)) && secret?.uid != firstUID
        }
    }

    @Test("an unchanged SealedSecret is not decrypted again on resync") func unsealCache() async throws {
        let (cluster, controller) = try await cluster(["--resync-period", "300ms"])
        defer { Task { await cluster.stop() } }
        let sealed = try await cluster.sealkit(["-o", "yaml"], stdin: Self.secret)
        #expect(try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: sealed.stdout).status == 0)
        try await cluster.eventually("Synced") { TestCluster.syncedCondition(await cluster.sealedSecret("prod", "db"))?.status == "True" }
        func counter(_ name: String) async throws -> Double {
            let body = try await controller.get("/metrics", metrics: true).body
            let line = body.split(separator: "\n").first { $0.hasPrefix(name + " ") }
            return line.flatMap { Double($0.split(separator: " ").last!) } ?? -1
        }
        try await Task.sleep(for: .milliseconds(500))
        let decryptions = try await counter("sealed_secrets_controller_unseal_decryptions_total")
        let requests = try await counter("sealed_secrets_controller_unseal_requests_total")
        await cluster.server.clearReceivedRequests()
        try await Task.sleep(for: .seconds(2))
        #expect(try await counter("sealed_secrets_controller_unseal_requests_total") > requests + 2, "resyncs happened")
        #expect(try await counter("sealed_secrets_controller_unseal_decryptions_total") == decryptions, "without decrypting")
        // The Secret watch shows the Secret is the version written: the resyncs read nothing.
        let reads = await cluster.server.receivedRequests.filter {
            $0.method == "GET" && !$0.uri.contains("watch=") && ($0.uri.contains("/secrets/db") || $0.uri.contains("/sealedsecrets/db"))
        }
        #expect(reads.isEmpty, "resyncs read \(reads.map(\.uri))")

        // Tampering with the Secret is repaired on the next resync (that one decrypts).
        _ = try await cluster.kubectl(["patch", "secret", "db", "-n", "prod", "--type=merge", "-p", #"{"data":{"password":"dGFtcGVyZWQ="}}"#])
        try await cluster.eventually("the tampered Secret to be repaired") {
            await cluster.secret("prod", "db")?["data"]?.mapping?["password"]?.scalar?.text == Base64.encode(Array("hunter2".utf8))
        }
    }

    @Test("two controllers: only the leader writes; killing it hands over within the lease") func highAvailability() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        try await cluster.installReferenceKey()
        // A longer lease than the other tests use, so a busy CI machine does not hand over early.
        let first = try cluster.startController(["--lease-duration", "6s"], identity: "first")
        try await cluster.eventually("a leader") {
            (try? await cluster.client.get(.leases, namespace: "kube-system", name: "sealed-secrets-controller")) != nil
        }
        let second = try cluster.startController(["--lease-duration", "6s"], identity: "second")
        try await cluster.installService(targetPort: second.apiPort)
        try await cluster.eventually("both ready") {
            let firstReady = try await first.get("/readyz").status == 200
            let secondReady = try await second.get("/readyz").status == 200
            return firstReady && secondReady
        }
        let lease = try await cluster.client.get(.leases, namespace: "kube-system", name: "sealed-secrets-controller")
        let holder = lease["spec"]?.mapping?["holderIdentity"]?.scalar?.text ?? ""
        #expect(!holder.isEmpty)

        for index in 0 ..< 5 {
            let sealed = try await cluster.sealkit(["-o", "yaml"], stdin: Self.secret.replacingOccurrences(of: "name: db", with: "name: before-\(index)"))
            #expect(sealed.status == 0, "sealkit: \(sealed.stderr)")
            let applied = try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: sealed.stdout)
            #expect(applied.status == 0, "kubectl apply: \(applied.stderr)")
        }
        try await cluster.eventually("the first batch") {
            for index in 0 ..< 5 where await cluster.secret("prod", "before-\(index)") == nil { return false }
            return true
        }
        // Exactly one replica reconciled: only its log has Unsealed work.
        let writers = [first, second].filter { $0.log.contains("became leader") }
        #expect(writers.count == 1)

        // The certificate, kept for sealing after the kill: the Service points at the second
        // replica, which may be the leader (a slow machine can hand the lease over early).
        let certificate = try await cluster.sealkit(["--fetch-cert"])
        #expect(certificate.status == 0)
        try cluster.workspace.write("cert.pem", certificate.stdout)

        // Kill the leader without a chance to release the lease.
        let leader = writers.first!
        let standby = leader === first ? second : first
        await leader.stop(SIGKILL)
        let killedAt = ContinuousClock.now
        for index in 0 ..< 5 {
            let sealed = try await cluster.sealkit(["-o", "yaml", "--cert", "cert.pem"],
                                                   stdin: Self.secret.replacingOccurrences(of: "name: db", with: "name: after-\(index)"))
            #expect(sealed.status == 0, "sealkit: \(sealed.stderr)")
            let applied = try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: sealed.stdout)
            #expect(applied.status == 0, "kubectl apply: \(applied.stderr)")
        }
        try await cluster.eventually(timeout: .seconds(15), "the standby to take over and catch up") {
            for index in 0 ..< 5 where await cluster.secret("prod", "after-\(index)") == nil { return false }
            return true
        }
        let takeover = killedAt.duration(to: .now)
        #expect(takeover < TestTimeouts.scaled(.seconds(12)), "fail-over took \(takeover)")
        #expect(standby.log.contains("became leader"))
    }

    @Test("SIGTERM stops the controller gracefully") func gracefulShutdown() async throws {
        let (cluster, controller) = try await cluster()
        defer { Task { await cluster.stop() } }
        let start = ContinuousClock.now
        await controller.stop(SIGTERM)
        #expect(controller.process.terminationReason == .exit)
        #expect(controller.process.terminationStatus == 0)
        #expect(start.duration(to: .now) < .seconds(10))
    }

    @Test("cluster errors are one actionable line") func clusterErrors() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        let missing = try await cluster.sealkit(["--fetch-cert"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("services \"sealed-secrets-controller\" not found"))
        #expect(missing.stderr.contains("pass --cert"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        // A Service whose port leads nowhere (no controller listening).
        try await cluster.installService(targetPort: try FreePort.pick())
        let noEndpoint = try await cluster.sealkit(["--fetch-cert"])
        #expect(noEndpoint.status != 0)
        #expect(noEndpoint.stderr.contains("controller sealed-secrets-controller in kube-system answered HTTP 503"))
        #expect(noEndpoint.stderr.split(separator: "\n").count == 1)
        // Not allowed to read the Service.
        cluster.server.faults.forbid(AccessRule(verb: "get", resource: "services", namespace: "kube-system"))
        let forbidden = try await cluster.sealkit(["--fetch-cert"])
        #expect(forbidden.status != 0)
        #expect(forbidden.stderr.contains("is forbidden"))
        #expect(forbidden.stderr.contains("needs get and proxy on services in kube-system"))
        #expect(forbidden.stderr.split(separator: "\n").count == 1)
    }
}
}

extension Node {
    /// Compact JSON with sorted keys, for comparing data maps.
    var canonicalJSON: String {
        func sorted(_ node: Node) -> Node {
            switch node {
            case .mapping(let mapping):
                .mapping(Mapping(mapping.entries.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: sorted($0.value)) }))
            case .sequence(let items): .sequence(items.map(sorted))
            case .scalar(let scalar): .scalar(Scalar(scalar.text, style: .quoted))
            }
        }
        return String(decoding: JSONWriter.write(sorted(self), pretty: false), as: UTF8.self)
    }
}
