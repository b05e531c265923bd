import Foundation
import Testing
@testable import SealKit

/// Credential-shaped test strings are assembled from pieces, so this file itself never holds a
/// string that secret scanners (GitHub push protection, `sealkit guard`) take for a live token.
enum FakeCredentials {
    static let awsKeyID = "AK" + "IA" + "Z3MPLQ7RT2XV9WNB"
    static let awsSecret = "aB3dE5gH7jK9mN1pQ3sT5vW7" + "yZ9bD1fH3kM5pR7t"
    static let githubToken = "gh" + "p_" + "A1b2C3d4E5f6G7h8I9j0" + "K1l2M3n4O5p6Q7r8"
    static let githubFineGrained = "github" + "_pat_" + String(repeating: "A1b2C3d4E5", count: 2) + "xy" + "_"
        + String(repeating: "Z9y8X7w6V5", count: 5) + "u4t3s2r1q"
    static let gitlabToken = "gl" + "pat-" + "xY7zW2vU9tS4rQ1pO6nM"
    static let slackToken = "xo" + "xb-" + "123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx"
    static let slackWebhook = "https://hooks.slack.com/" + "services/" + "T01ABCDEF/B02GHIJKL/" + "aBcDeFgHiJkLmNoPqRsTuVwX"
    static let googleKey = "AI" + "za" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
    static let stripeKey = "sk" + "_live_" + "51H8aBcDeFgHiJkLmNoPqRsTuV"
    static let npmToken = "np" + "m_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
    static let urlPassword = "Q8vR2m" + "T6wZ1x"
}

@Suite("sealkit guard: detectors")
struct RepositoryGuardTests {
    private func scan(_ text: String, file: String = "file.txt", policy: RepositoryPolicy? = nil,
                      relativePath: String? = nil) -> [Finding] {
        RepositoryGuard(policy: policy).scan(Array(text.utf8), file: file, relativePath: relativePath)
    }

    @Test("each credential format is found at its line and column, and never printed", arguments: [
        ("AWS_ACCESS_KEY_ID=\(FakeCredentials.awsKeyID)", "aws-access-key-id", FakeCredentials.awsKeyID, 19),
        ("aws_secret_access_key = \"\(FakeCredentials.awsSecret)\"", "aws-secret-access-key", FakeCredentials.awsSecret, 26),
        ("token: \(FakeCredentials.githubToken)", "github-token", FakeCredentials.githubToken, 8),
        ("GH=\(FakeCredentials.githubFineGrained)", "github-token", FakeCredentials.githubFineGrained, 4),
        ("url = \"\(FakeCredentials.gitlabToken)\"", "gitlab-token", FakeCredentials.gitlabToken, 8),
        ("SLACK=\(FakeCredentials.slackToken)", "slack-token", FakeCredentials.slackToken, 7),
        ("hook: \(FakeCredentials.slackWebhook)", "slack-token", FakeCredentials.slackWebhook, 7),
        ("key: \(FakeCredentials.googleKey)", "google-api-key", FakeCredentials.googleKey, 6),
        ("STRIPE=\(FakeCredentials.stripeKey)", "stripe-secret-key", FakeCredentials.stripeKey, 8),
        ("//registry.npmjs.org/:_authToken=\(FakeCredentials.npmToken)", "npm-token", FakeCredentials.npmToken, 34),
        ("psql postgres://orders:\(FakeCredentials.urlPassword)@db.prod.internal/orders", "url-credentials", FakeCredentials.urlPassword, 6),
    ])
    func credential(_ line: String, _ rule: String, _ secret: String, _ column: Int) {
        let findings = scan("first line\n" + line + "\nlast line\n")
        #expect(findings.map(\.rule) == [rule])
        #expect(findings.first?.line == 2)
        #expect(findings.first?.column == column)
        let body = String(secret.dropFirst(8))
        #expect(!(findings.first?.message.contains(body) ?? true), "the message must not hold the secret: \(findings.first?.message ?? "")")
    }

    @Test("look-alikes stay quiet: documentation keys, placeholders, prose, words, ciphertexts") func lookAlikes() throws {
        let sealed = try Sealer(publicKey: Fixtures.certificate.publicKey)
            .seal(Secret(metadata: ObjectMetadata(name: "a", namespace: "b"), items: [.init(key: "k", value: SecretBytes(utf8: "v"))]))
        let ciphertexts = (0 ..< 200).map { _ in
            (try? Sealer(publicKey: Fixtures.certificate.publicKey).sealRaw(SecretBytes(utf8: "x"), scope: .clusterWide, namespace: nil, name: nil)) ?? ""
        }
        let text = """
            AWS docs: AKIAIOSFODNN7EXAMPLE and aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            xoxb-your-bot-token, ghp_ followed by 36 characters, sk_live_ prefix, AIza prefix
            postgres://user:password@db.internal/x postgres://app:${DB_PASSWORD}@db/x postgres://a:b@db/x
            https://admin:hunter22@registry.example.com http://u:s3cr3tpw@localhost:5432
            The header alone: -----BEGIN RSA PRIVATE KEY----- and nothing after it.
            A longer word: XAKIA\(FakeCredentials.awsKeyID.dropFirst(4)) and \(FakeCredentials.awsKeyID)LOWER
            \(String(decoding: JSONWriter.write(sealed.node()), as: UTF8.self))
            \(ciphertexts.joined(separator: "\n"))
            """
        #expect(scan(text).isEmpty, "\(scan(text).map(\.message))")
    }

    @Test("PEM private keys, also base64-encoded and inside JSON strings") func privateKeys() throws {
        let pem = Fixtures.privateKey.pkcs1PEM().withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        #expect(scan(pem).map(\.rule) == ["private-key"])
        let json = "{\"private_key\": \"" + pem.replacingOccurrences(of: "\n", with: "\\n") + "\"}"
        #expect(scan(json, file: "sa.json").map(\.rule) == ["private-key"])
        let encoded = "apiVersion: v1\nkind: ConfigMap\ndata:\n  tls.key: " + Base64.encode(Array(pem.utf8)) + "\n"
        let findings = scan(encoded, file: "cm.yaml")
        #expect(findings.map(\.rule) == ["private-key"])
        #expect(findings.first?.line == 4)
        #expect(findings.first?.message.contains("BEGIN RSA PRIVATE KEY") == true)
        #expect(scan("x", file: "bundle.p12").map(\.rule) == ["keystore-file"])
    }

    @Test("plaintext Secrets: data and stringData, in Lists and later documents; placeholders and empty ones are not")
    func plaintextSecrets() {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c}
            data: {a: b}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: plain}
            data:
              password: aHVudGVyMg==
            ---
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
              - apiVersion: v1
                kind: Secret
                metadata: {name: listed}
                stringData:
                  token: t0ken
            ---
            kind: Secret
            metadata: {name: templated}
            stringData:
              a: "{{ .Values.a }}"
              b: ${B}
              c: $(C)
            ---
            kind: Secret
            metadata: {name: empty}
            data: {}
            stringData: {x: ""}
            """
        let findings = scan(text, file: "all.yaml")
        #expect(findings.map(\.rule) == ["plaintext-secret", "plaintext-secret"])
        #expect(findings.map(\.line) == [9, 21])
        #expect(findings[0].message.contains("\"plain\" (document 2)"))
        #expect(findings[1].message.contains("\"listed\" (document 3, items[1])"))
        #expect(!findings.contains { $0.message.contains("aHVudGVyMg") || $0.message.contains("t0ken") })
        let json = "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"j\"},\n \"data\": {\"a\": \"Yg==\"}}"
        #expect(scan(json, file: "s.json").map(\.line) == [2])
        // Only manifests are read as YAML: the same text in a .txt file is not a finding.
        #expect(scan(text, file: "notes.txt").isEmpty)
    }

    @Test("requireSealed paths hold only SealedSecrets; the allow-list marks findings with its reason") func policy() throws {
        let policy = try RepositoryPolicy(bytes: Array("""
            requireSealed: [secrets/**]
            allow:
              - path: docs/**
                rules: [plaintext-secret]
                reason: tutorial values
            """.utf8), root: "/repo")
        let sealed = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: a}\nspec: {encryptedData: {}}\n"
        #expect(scan(sealed, file: "secrets/a.yaml", policy: policy, relativePath: "secrets/a.yaml").isEmpty)
        let mixed = sealed + "---\nkind: ConfigMap\nmetadata: {name: c}\n"
        let findings = scan(mixed, file: "secrets/a.yaml", policy: policy, relativePath: "secrets/a.yaml")
        #expect(findings.map(\.rule) == ["not-sealed"])
        #expect(findings.first?.line == 6)
        #expect(scan("plain words", file: "secrets/notes.txt", policy: policy, relativePath: "secrets/notes.txt").map(\.rule) == ["not-sealed"])
        #expect(scan("a: [", file: "secrets/bad.yaml", policy: policy, relativePath: "secrets/bad.yaml").map(\.rule) == ["not-sealed"])

        let secret = "kind: Secret\nmetadata: {name: s}\nstringData: {a: b}\n"
        let allowed = scan(secret, file: "docs/s.yaml", policy: policy, relativePath: "docs/s.yaml")
        #expect(allowed.map(\.allowedBecause) == ["tutorial values"])
        let elsewhere = scan(secret, file: "app/s.yaml", policy: policy, relativePath: "app/s.yaml")
        #expect(elsewhere.map(\.allowedBecause) == [nil])
        // The allowance names one rule: a private key in docs/ still counts.
        let key = Fixtures.privateKey.pkcs1PEM().withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        #expect(scan(key, file: "docs/k.pem", policy: policy, relativePath: "docs/k.pem").map(\.allowedBecause) == [nil])
    }

    @Test("binary files are not read as text") func binary() {
        var bytes: [UInt8] = [0, 1, 2]
        bytes += Array(FakeCredentials.githubToken.utf8)
        #expect(RepositoryGuard(policy: nil).scan(bytes, file: "blob.bin", relativePath: nil).isEmpty)
    }
}
