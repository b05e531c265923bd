import Foundation
import KubeClient
import SealKit
import Testing

/// Every plaintext and every private-key byte of a full run, looked for in everything the run
/// shows anyone other than the Secret's reader: the controller's debug log, the CLI's errors and
/// non-plaintext output, events, SealedSecret statuses, metrics and every HTTP answer of the
/// controller. The run includes the failures most likely to echo a value: a template that fails
/// on a value, a tampered ciphertext, a ciphertext moved to another name, bad input to the CLI.
extension SerialSuites {
@Suite("No secret in any output", .serialized, .enabled(if: TestCluster.kubectlPath != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct SecretScrapeTests {
    /// Distinctive values, so a hit cannot be a coincidence.
    static let plaintexts = ["Pl41n-alpha-6f1c2e", "Pl41n-bravo-93ad07", "Pl41n-charlie-5be418", "Pl41n-delta-c2779f",
                             "Pl41n-echo-0d8e61", "Pl41n-foxtrot-7a3b95"]

    /// The ways a value could leak: as is, base64 (as Secret data holds it) and hex.
    static func needles(forValue value: String) -> [String] {
        let bytes = Array(value.utf8)
        return [value, Data(bytes).base64EncodedString(), bytes.map { String(format: "%02x", $0) }.joined()]
    }

    /// The private key's PEM body lines, and windows of the base64 of the whole PEM (how a key
    /// Secret's `tls.key` holds it).
    static func keyNeedles() throws -> [String] {
        let pem = try String(contentsOf: Binaries.vectors.appendingPathComponent("key.pem"), encoding: .utf8)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        let encoded = Data(pem.utf8).base64EncodedString()
        let windows = stride(from: 0, to: encoded.count - 48, by: 400).map {
            String(encoded.dropFirst($0).prefix(48))
        }
        return body + windows
    }

    /// What was seen, by source, and which needles it held.
    struct Haystack {
        var sources: [(name: String, text: String)] = []
        mutating func add(_ name: String, _ text: String) { sources.append((name, text)) }
        func leaks(of needles: [String]) -> [String] {
            sources.flatMap { source in needles.filter { source.text.contains($0) }.map { "\(source.name) holds \($0.prefix(12))…" } }
        }
    }

    static func secret(_ name: String, _ values: [String: String]) -> String {
        let data = values.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }.joined(separator: "\n")
        return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: \(name)\n  namespace: prod\nstringData:\n\(data)\n"
    }

    @Test("no plaintext or private-key byte in logs, errors, events, statuses, metrics or HTTP answers")
    func fullRun() async throws {
        let (cluster, controller) = try await TestCluster.withController([])
        defer { Task { await cluster.stop() } }
        let workspace = cluster.workspace
        try workspace.copyPrivateKey("other_key.pem", as: "other.pem")
        var seen = Haystack()
        func record(_ name: String, _ result: CommandResult, stdoutIsPlaintext: Bool = false) {
            seen.add("\(name) stderr", result.stderr)
            if !stdoutIsPlaintext { seen.add("\(name) stdout", result.stdout) }
        }
        let p = Self.plaintexts

        // The CLI: sealing, raw sealing, bad input holding a value, unsealing with the wrong key.
        let sealed = try await cluster.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: Self.secret("good", ["password": p[0], "token": p[1]]))
        #expect(sealed.status == 0, "\(sealed.stderr)")
        record("sealkit", sealed)
        try workspace.write("good.yaml", sealed.stdout)
        record("sealkit --raw", try await cluster.sealkit(["--cert", "cert.pem", "--raw", "--scope", "cluster-wide"], stdin: p[2]))
        let badBase64 = "apiVersion: v1\nkind: Secret\nmetadata: {name: bad, namespace: prod}\ndata: {password: \"\(p[3])!\"}\n"
        let refused = try await cluster.sealkit(["--cert", "cert.pem"], stdin: badBase64)
        #expect(refused.status != 0)
        record("sealkit bad base64", refused)
        let wrongKey = try await cluster.sealkit(["--recovery-unseal", "--recovery-private-key", "other.pem", "-f", "good.yaml"])
        #expect(wrongKey.status != 0)
        record("sealkit --recovery-unseal wrong key", wrongKey)
        let unsealed = try await cluster.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-f", "good.yaml"])
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        record("sealkit --recovery-unseal", unsealed, stdoutIsPlaintext: true)

        // The controller: a good object, a template failing on a value, a tampered ciphertext,
        // a ciphertext moved to another name.
        record("kubectl apply good", try await cluster.kubectl(["apply", "--validate=false", "-f", "good.yaml"]))
        let template = try ControllerSecurityTests.sealedSecret(name: "template", values: ["password": p[4]],
                                                                 templates: [("x", "{{ fail .password }}"), ("y", "{{ .password | b64dec }}")])
        record("kubectl apply template", try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: template))
        let clean = try ControllerSecurityTests.sealedSecret(name: "tampered", values: ["password": p[5]])
        let tampered = try Self.tamper(clean)
        #expect(tampered != clean)
        try workspace.write("tampered.json", tampered)
        record("kubectl apply tampered", try await cluster.kubectl(["apply", "--validate=false", "-f", "tampered.json"]))
        let moved = sealed.stdout.replacingOccurrences(of: "name: good", with: "name: moved")
        record("kubectl apply moved", try await cluster.kubectl(["apply", "--validate=false", "-f", "-"], stdin: moved))

        try await cluster.eventually("good to sync") { TestCluster.syncedCondition(await cluster.sealedSecret("prod", "good"))?.status == "True" }
        for name in ["template", "tampered", "moved"] {
            try await cluster.eventually("\(name) to fail") { TestCluster.syncedCondition(await cluster.sealedSecret("prod", name))?.status == "False" }
        }

        // The controller's HTTP API, directly and through the CLI.
        for (name, body) in [("good", try Self.json(of: sealed.stdout)), ("tampered", tampered)] {
            for path in ["/v1/verify", "/v1/rotate"] {
                let answer = try await HTTP.request(URL(string: "http://127.0.0.1:\(controller.apiPort)\(path)")!, method: "POST", body: Array(body.utf8))
                seen.add("POST \(path) \(name) (\(answer.status))", answer.body)
            }
        }
        record("sealkit --validate good", try await cluster.sealkit(["--validate", "-f", "good.yaml"]))
        record("sealkit --validate tampered", try await cluster.sealkit(["--validate", "-f", "tampered.json"]))
        record("sealkit --re-encrypt", try await cluster.sealkit(["--re-encrypt", "-f", "good.yaml", "-w", "rotated.yaml"]))
        for path in ["/healthz", "/readyz", "/v1/cert.pem"] { seen.add("GET \(path)", try await controller.get(path).body) }
        let metrics = try await controller.get("/metrics", metrics: true).body
        #expect(metrics.contains("sealed_secrets_controller_unseal_requests_total"))
        seen.add("GET /metrics", metrics)

        // What the cluster keeps: events and statuses (the Secret itself holds plaintext by design).
        let events = try await cluster.client.list(.events, namespace: "prod").items
        #expect(events.count >= 4, "an event per object at least")
        seen.add("events", events.map { String(decoding: JSONWriter.write($0.node), as: UTF8.self) }.joined(separator: "\n"))
        let statuses = try await cluster.kubectl(["get", "sealedsecrets", "-n", "prod", "-o", "json"])
        #expect(statuses.stdout.contains("no key could decrypt"))
        seen.add("SealedSecrets", statuses.stdout)
        await controller.stop()
        let log = controller.log
        #expect(log.split(separator: "\n").count > 20, "a debug log of the whole run")
        seen.add("controller log", log)

        let needles = p.flatMap(Self.needles(forValue:)) + (try Self.keyNeedles())
        #expect(seen.leaks(of: needles).isEmpty, "\(seen.leaks(of: needles))")

        // The needles are the right encodings: the places meant to hold the plaintext hold them.
        #expect(unsealed.stdout.contains(Self.needles(forValue: p[0])[1]))
        let secret = try #require(await cluster.secret("prod", "good"))
        #expect(String(decoding: JSONWriter.write(secret.node), as: UTF8.self).contains(Self.needles(forValue: p[1])[1]))
        let keySecret = try await cluster.kubectl(["get", "secret", "-n", "kube-system", "sealed-secrets-keyref01", "-o", "json"])
        #expect(try Self.keyNeedles().dropFirst(Self.keyNeedles().count - 2).allSatisfy { keySecret.stdout.contains($0) })
    }

    /// Flips one byte inside the AES-GCM part of the first ciphertext of a JSON SealedSecret.
    static func tamper(_ json: String) throws -> String {
        let root = try #require(try YAMLReader.manifests(Array(json.utf8)).first?.root.mapping)
        let encrypted = try #require(root["spec"]?.mapping?["encryptedData"]?.mapping)
        let (key, value) = try #require(encrypted.entries.first.map { ($0.key, $0.value.scalar?.text ?? "") })
        var bytes = try #require(Data(base64Encoded: value).map(Array.init))
        bytes[bytes.count - 20] ^= 0x01
        return json.replacingOccurrences(of: "\"\(key)\":\"\(value)\"", with: "\"\(key)\":\"\(Data(bytes).base64EncodedString())\"")
            .replacingOccurrences(of: "\"\(key)\": \"\(value)\"", with: "\"\(key)\": \"\(Data(bytes).base64EncodedString())\"")
    }

    /// A YAML SealedSecret as JSON, the body `/v1/verify` takes.
    static func json(of yaml: String) throws -> String {
        let document = try #require(try YAMLReader.manifests(Array(yaml.utf8)).first)
        return String(decoding: JSONWriter.write(document.root), as: UTF8.self)
    }
}
}
