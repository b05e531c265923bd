import Foundation
import Testing
@testable import SealKit

@Suite("Repository policy (.sealkit.yaml)")
struct RepositoryPolicyTests {
    static let pin = Fixtures.certificate.publicKey.fingerprint

    static let policy = """
        version: 1
        clusters:
          - name: dev
            certificate: certs/dev.crt
            fingerprint: \(pin)
          - name: prod
            url: https://sealed-secrets.prod.example.com/v1/cert.pem
            fingerprint: [\(pin), SHA256:FZT6NWFiMg5CBh0jCgNdCF30M0oPbBvDIFAeXSljnSE]
            keyBits: 4096
          - name: staging
            controller: {context: staging, namespace: sealed-secrets}
            fingerprint: \(pin)
        rules:
          - path: overlays/dev/**
            clusters: [dev]
            scope: namespace-wide
          - path: overlays/prod/**
            clusters: prod
          - path: overlays/nonprod/**
            clusters: [dev, staging]
            overlay: overlays/nonprod
        requireSealed: ["overlays/*/secrets/**"]
        allow:
          - path: docs/**
            rules: [plaintext-secret]
            reason: dummy values
        """

    @Test("every field is read; first matching rule wins") func reads() throws {
        let policy = try RepositoryPolicy(bytes: Array(Self.policy.utf8), root: "/repo")
        #expect(policy.clusters.map(\.name) == ["dev", "prod", "staging"])
        #expect(policy.clusters[0].certificate == .file("certs/dev.crt"))
        #expect(policy.clusters[1].certificate == .url("https://sealed-secrets.prod.example.com/v1/cert.pem"))
        #expect(policy.clusters[1].fingerprints.count == 2)
        #expect(policy.clusters[1].keyBits == 4096)
        #expect(policy.clusters[2].certificate == .controller(context: "staging", name: nil, namespace: "sealed-secrets"))
        #expect(policy.clusters[1].line == 6)
        #expect(policy.rule(for: "overlays/dev/db.yaml")?.scope == .namespaceWide)
        #expect(policy.rule(for: "overlays/prod/a/b.yaml")?.clusters == ["prod"])
        #expect(policy.rule(for: "overlays/prod/a/b.yaml")?.scope == .strict)
        #expect(policy.rule(for: "base/db.yaml") == nil)
        #expect(policy.rules[2].overlayDirectory == "overlays/nonprod")
        #expect(policy.requiresSealed("overlays/dev/secrets/x.yaml"))
        #expect(!policy.requiresSealed("overlays/dev/x.yaml"))
        #expect(policy.allowance(path: "docs/a.yaml", rule: "plaintext-secret")?.reason == "dummy values")
        #expect(policy.allowance(path: "docs/a.yaml", rule: "private-key") == nil)
        #expect(policy.relativePath("/repo/overlays/dev/x.yaml") == "overlays/dev/x.yaml")
        #expect(policy.relativePath("/elsewhere/x.yaml") == nil)
        #expect(policy.relativePath("/repository/x.yaml") == nil)
    }

    @Test("mistakes are refused with the field and line", arguments: [
        ("clusters:\n  - name: a\n    certificate: a.crt\n    fingerprint: \(pin)\n    fingerprnt: x\n", 5, "unknown key \"fingerprnt\""),
        ("clusters:\n  - name: a\n    certificate: a.crt\n", 2, "needs a fingerprint"),
        ("clusters:\n  - name: a\n    certificate: a.crt\n    url: https://x/\n    fingerprint: \(pin)\n", 2, "exactly one of"),
        ("clusters:\n  - name: a\n    certificate: a.crt\n    fingerprint: SHA256:short\n", 4, "is not a key fingerprint"),
        ("clusters:\n  - name: a\n    url: ftp://x\n    fingerprint: \(pin)\n", 3, "expected an https://"),
        ("clusters:\n  - name: a/b\n    certificate: a.crt\n    fingerprint: \(pin)\n", 2, "not a valid cluster name"),
        ("clusters:\n  - name: a\n    certificate: a.crt\n    fingerprint: \(pin)\n    keyBits: 1024\n", 5, "2048 to 16384"),
        ("rules:\n  - path: x/**\n    clusters: [nope]\n", 2, "cluster \"nope\" is not defined"),
        ("rules:\n  - path: x/**\n", 2, "needs clusters"),
        ("clusters:\n  - name: a\n    certificate: a.crt\n    fingerprint: \(pin)\nrules:\n  - path: x/**\n    clusters: [a]\n    scope: wide\n", 8, "expected strict, namespace-wide or cluster-wide"),
        ("clusters:\n  - name: a\n    certificate: a.crt\n    fingerprint: \(pin)\nrules:\n  - path: /abs/**\n    clusters: [a]\n", 6, "starts with /"),
        ("allow:\n  - path: docs/**\n", 2, "needs a reason"),
        ("version: 2\n", 1, "only 1 is supported"),
        ("requiresealed: []\n", 1, "unknown key \"requiresealed\""),
        ("clusters: {a: b}\n", 1, "expected a list"),
        ("clusters:\n  - name: a\n    certificate: a.crt\n    fingerprint: \(pin)\n  - name: a\n    certificate: b.crt\n    fingerprint: \(pin)\n", 5, "defined twice"),
        ("rules: [\n", 2, "did not find expected node content"),
    ])
    func refused(_ text: String, _ line: Int, _ message: String) {
        #expect {
            try RepositoryPolicy(bytes: Array(text.utf8), root: "/repo")
        } throws: { error in
            guard let error = error as? PolicyError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test("the nearest .sealkit.yaml is found, up to the git root") func discovery() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-policy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = root.appendingPathComponent("repo/overlays/prod")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        #expect(RepositoryPolicy.discover(from: nested.path).map { !$0.hasPrefix(root.path) } ?? true)
        try Data("version: 1\n".utf8).write(to: root.appendingPathComponent(".sealkit.yaml"))
        #expect(RepositoryPolicy.discover(from: nested.path) == root.appendingPathComponent(".sealkit.yaml").path)
        // A git root below the policy stops the search: that policy belongs to another repository.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("repo/.git"), withIntermediateDirectories: true)
        #expect(RepositoryPolicy.discover(from: nested.path) == nil)
        try Data("version: 1\n".utf8).write(to: root.appendingPathComponent("repo/.sealkit.yaml"))
        let found = try #require(RepositoryPolicy.discover(from: nested.path))
        let policy = try RepositoryPolicy.load(path: found)
        #expect(policy.relativePath(nested.appendingPathComponent("db.yaml").path) == "overlays/prod/db.yaml")
    }
}
