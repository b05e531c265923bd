import Foundation
import Testing
@testable import SealKit

@Suite("sealkit lint: checks")
struct SealedSecretLinterTests {
    /// A strict SealedSecret for shop/db sealed with the 4096-bit reference key, as YAML.
    static func sealedYAML(scope: SealingScope = .strict, namespace: String? = "shop") throws -> String {
        var secret = Secret(metadata: ObjectMetadata(name: "db", namespace: namespace ?? "shop"))
        secret.items = [.init(key: "password", value: SecretBytes(utf8: "hunter2")), .init(key: "user", value: SecretBytes(utf8: "app"))]
        var sealed = try Sealer(publicKey: Fixtures.certificate.publicKey).seal(secret, scope: scope)
        if namespace == nil { sealed.metadata.namespace = nil }
        return String(decoding: try YAMLWriter.write(sealed.node()), as: UTF8.self)
    }

    private func lint(_ text: String, policy: RepositoryPolicy? = nil, relativePath: String? = nil) -> [Finding] {
        SealedSecretLinter(policy: policy).lint(Array(text.utf8), file: "f.yaml", relativePath: relativePath)
    }

    private func ciphertext(_ text: String, _ key: String) -> String {
        let line = text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(key): ") }!
        return String(line.split(separator: " ").last!)
    }

    @Test("what the sealer writes passes, in every scope") func clean() throws {
        for scope in SealingScope.allCases {
            #expect(lint(try Self.sealedYAML(scope: scope)).isEmpty, "\(scope)")
        }
        // Other kinds are not lint's business, nor are non-manifest YAML files.
        #expect(lint("kind: Secret\nstringData: {a: b}\n").isEmpty)
        #expect(lint("{{ .Values.x }}: [").isEmpty)
    }

    @Test("each defect is reported at its line, naming the object and item") func defects() throws {
        let yaml = try Self.sealedYAML()
        let password = ciphertext(yaml, "password")

        let badBase64 = yaml.replacingOccurrences(of: password, with: String(password.prefix(10)) + "!" + password.dropFirst(11))
        var findings = lint(badBase64)
        #expect(findings.map(\.rule) == ["ciphertext-base64"])
        #expect(findings.first?.line == 8)
        #expect(findings.first?.message.contains("item \"password\"") == true)
        #expect(findings.first?.message.contains("input byte 10") == true)
        #expect(!(findings.first?.message.contains(String(password.prefix(20))) ?? true))

        findings = lint(yaml.replacingOccurrences(of: password, with: String(password.prefix(400))))
        #expect(findings.map(\.rule) == ["ciphertext-framing"])
        #expect(findings.first?.message.contains("512-byte RSA part") == true)
        #expect(lint(yaml.replacingOccurrences(of: password, with: "AA==")).map(\.rule) == ["ciphertext-framing"])
        #expect(lint(yaml.replacingOccurrences(of: password, with: "\"\"")).map(\.rule) == ["ciphertext-framing"])

        // An RSA part of 128 bytes: a 1024-bit key, which no controller has.
        let small = Base64.encode([0, 128] + [UInt8](repeating: 7, count: 128 + 20))
        findings = lint(yaml.replacingOccurrences(of: password, with: small))
        #expect(findings.map(\.rule) == ["ciphertext-key-size"])
        #expect(findings.first?.message.contains("1024-bit") == true)

        let mismatch = yaml.replacingOccurrences(of: "      namespace: shop\n", with: "      namespace: shop\n      annotations:\n        sealedsecrets.bitnami.com/namespace-wide: \"true\"\n")
        findings = lint(mismatch)
        #expect(findings.map(\.rule) == ["scope-mismatch"])
        #expect(findings.first?.line == 14)
        #expect(findings.first?.message.contains("metadata.annotations say strict but spec.template.metadata.annotations say namespace-wide") == true)

        let lastApplied = yaml.replacingOccurrences(of: "      namespace: shop\n", with: "      namespace: shop\n      annotations:\n        kubectl.kubernetes.io/last-applied-configuration: '{}'\n")
        findings = lint(lastApplied)
        #expect(findings.map(\.rule) == ["last-applied-configuration"])
        #expect(findings.first?.line == 15)

        findings = lint(try Self.sealedYAML(namespace: nil))
        #expect(findings.map(\.rule) == ["missing-namespace"])
        #expect(findings.first?.line == 3)
        #expect(lint(try Self.sealedYAML(scope: .clusterWide, namespace: nil)).isEmpty)

        let capitalTrue = yaml.replacingOccurrences(of: "  namespace: shop\nspec:", with: "  namespace: shop\n  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: \"True\"\nspec:")
        #expect(lint(capitalTrue).map(\.rule) == ["scope-annotation-value"])

        findings = lint(yaml.replacingOccurrences(of: "apiVersion: bitnami.com/v1alpha1", with: "apiVersion: bitnami.com/v1"))
        #expect(findings.map(\.rule) == ["invalid-sealedsecret"])
        #expect(findings.first?.line == 1)
        findings = lint(yaml.replacingOccurrences(of: "  encryptedData:\n", with: "  encryptedData:\n    list: [1]\n"))
        #expect(findings.map(\.rule) == ["invalid-sealedsecret"])
        #expect(findings.first?.line == 8)

        findings = lint(yaml + "---\nkind: SealedSecret\nmetadata: {name: \"x\n")
        #expect(findings.map(\.rule) == ["invalid-yaml"])
    }

    @Test("the policy's cluster decides the expected key size and scope") func policy() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-lint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("certs"), withIntermediateDirectories: true)
        try Data(Fixtures.certificate.pem().utf8).write(to: root.appendingPathComponent("certs/prod.crt"))
        let pin = Fixtures.certificate.publicKey.fingerprint
        let text = """
            clusters:
              - name: prod
                certificate: certs/prod.crt
                fingerprint: \(pin)
              - name: dev
                url: https://dev.example.com/v1/cert.pem
                fingerprint: \(pin)
                keyBits: 2048
            rules:
              - path: prod/**
                clusters: [prod]
              - path: dev/**
                clusters: [dev]
                scope: namespace-wide
            """
        let policy = try RepositoryPolicy(bytes: Array(text.utf8), root: root.path)
        let linter = SealedSecretLinter(policy: policy)
        #expect(linter.policyFindings.isEmpty)
        #expect(linter.keyBits(ofCluster: "prod") == 4096)
        #expect(linter.keyBits(ofCluster: "dev") == 2048)

        let yaml = Array(try Self.sealedYAML().utf8)
        #expect(linter.lint(yaml, file: "prod/db.yaml", relativePath: "prod/db.yaml").isEmpty)
        let inDev = linter.lint(yaml, file: "dev/db.yaml", relativePath: "dev/db.yaml")
        #expect(inDev.map(\.rule) == ["scope-policy", "ciphertext-key-size", "ciphertext-key-size"])
        #expect(inDev[1].message.contains("sealed with a 4096-bit key, but rule 2 (dev/**) deploys here to cluster dev (2048 bits)"))

        // A pin that does not match the certificate file, a keyBits that contradicts it, a missing file.
        let wrong = text.replacingOccurrences(of: "    fingerprint: \(pin)\n  - name: dev", with: "    fingerprint: SHA256:FZT6NWFiMg5CBh0jCgNdCF30M0oPbBvDIFAeXSljnSE\n    keyBits: 3072\n  - name: dev")
        let broken = SealedSecretLinter(policy: try RepositoryPolicy(bytes: Array(wrong.utf8), root: root.path))
        #expect(broken.policyFindings.map(\.rule) == ["policy-certificate", "policy-key-size"])
        #expect(broken.policyFindings.allSatisfy { $0.line == 2 && $0.file == ".sealkit.yaml" })
        try FileManager.default.removeItem(at: root.appendingPathComponent("certs/prod.crt"))
        #expect(SealedSecretLinter(policy: policy).policyFindings.map(\.message) == ["cluster \"prod\": cannot read certificate file certs/prod.crt"])
    }

    @Test("SealedSecrets inside Lists and JSON streams are checked, at their own lines") func listsAndJSON() throws {
        let yaml = try Self.sealedYAML()
        let password = ciphertext(yaml, "password")
        let broken = yaml.replacingOccurrences(of: password, with: "AA==")
        let list = "apiVersion: v1\nkind: List\nitems:\n" + [yaml, broken].map { document in
            document.split(separator: "\n").enumerated().map { $0 == 0 ? "  - \($1)" : "    \($1)" }.joined(separator: "\n") + "\n"
        }.joined()
        let findings = lint(list)
        #expect(findings.map(\.rule) == ["ciphertext-framing"])
        // The list's 3 header lines, the first item, then the password line of the second.
        #expect(findings.first?.line == 3 + yaml.split(separator: "\n").count + 8)
        #expect(findings.first?.message.contains("(document 1, items[1])") == true)

        let node = try #require(YAMLReader.documents(Array(broken.utf8)).first?.root)
        let json = String(decoding: JSONWriter.write(node), as: UTF8.self)
        let stream = String(decoding: JSONWriter.write(try #require(YAMLReader.documents(Array(yaml.utf8)).first?.root)), as: UTF8.self) + "\n" + json
        let jsonFindings = lint(stream)
        #expect(jsonFindings.map(\.rule) == ["ciphertext-framing"])
        let expectedLine = stream.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("\"AA==\"") }! + 1
        #expect(jsonFindings.first?.line == expectedLine)
        #expect(jsonFindings.first?.message.contains("(document 2)") == true)
    }
}
