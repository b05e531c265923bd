import Foundation
import Testing
import TestSupport

/// Issue #14's acceptance, on the fixture deployment repository (see ``GitOpsFixture``): the
/// policy picks cluster and scope, `--all-clusters` seals each overlay for its own cluster (as
/// unsealing with each private key shows), pins are enforced, `guard` catches every planted
/// plaintext secret and passes the clean tree, `lint` flags every planted defect at its line
/// and passes the clean tree.
@Suite("GitOps repository: policy, guard, lint")
struct GitOpsRepositoryTests {
    @Test("--all-clusters writes each overlay's SealedSecrets, sealed to that overlay's cluster with its scope")
    func allClusters() throws {
        let fixture = try GitOpsFixture()
        let result = try fixture.sealkit(["-f", "../input/database.yaml", "--all-clusters", "-w", "database.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "wrote overlays/dev/database.yaml (cluster dev, namespace-wide)\n"
            + "wrote overlays/prod/database.yaml (cluster prod, strict)\n")

        let dev = try fixture.read("overlays/dev/database.yaml")
        let prod = try fixture.read("overlays/prod/database.yaml")
        for text in [dev, prod] {
            #expect(text.components(separatedBy: "kind: SealedSecret").count == 3, "both Secrets of the input")
            #expect(!text.contains("fixture-password-not-real") && !text.contains("Zml4dHVyZS10b2tlbi1ub3QtcmVhbA=="))
        }
        // Scope annotations at the top level and in the template, as the rule says.
        #expect(dev.components(separatedBy: "sealedsecrets.bitnami.com/namespace-wide: \"true\"").count == 5)
        #expect(!prod.contains("sealedsecrets.bitnami.com/"))

        for (overlay, cluster, other) in [("dev", "dev", "prod"), ("prod", "prod", "dev")] {
            let opened = try fixture.unseal("overlays/\(overlay)/database.yaml", cluster: cluster)
            #expect(opened.status == 0, "\(overlay): \(opened.stderr)")
            #expect(opened.stdout.contains("password: Zml4dHVyZS1wYXNzd29yZC1ub3QtcmVhbA=="))  // fixture-password-not-real
            #expect(opened.stdout.contains("token: Zml4dHVyZS10b2tlbi1ub3QtcmVhbA=="))
            #expect(opened.stdout.contains("app: orders"))
            let refused = try fixture.unseal("overlays/\(overlay)/database.yaml", cluster: other)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("no key could decrypt secret"), "\(overlay) with \(other)'s key: \(refused.stderr)")
        }
        // The result is what lint expects of these paths (key sizes, scopes).
        let lint = try fixture.sealkit(["lint"])
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
    }

    @Test("a rule naming several clusters: --all-clusters writes one subdirectory per cluster; -w needs --policy-cluster")
    func ruleWithSeveralClusters() throws {
        let fixture = try GitOpsFixture()
        let policy = try fixture.read(".sealkit.yaml").replacingOccurrences(of: "requireSealed:", with: """
              - path: overlays/shared/**
                clusters: [dev, prod]
                scope: cluster-wide
            requireSealed:
            """)
        try fixture.write(".sealkit.yaml", policy)
        try FileManager.default.createDirectory(at: fixture.repo.appendingPathComponent("overlays/shared"), withIntermediateDirectories: true)
        var result = try fixture.sealkit(["-f", "../input/database.yaml", "--all-clusters", "-w", "database.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrote overlays/shared/dev/database.yaml (cluster dev, cluster-wide)\n"))
        #expect(result.stderr.contains("wrote overlays/shared/prod/database.yaml (cluster prod, cluster-wide)\n"))
        for cluster in ["dev", "prod"] {
            #expect(try fixture.unseal("overlays/shared/\(cluster)/database.yaml", cluster: cluster).status == 0)
        }
        #expect(try fixture.sealkit(["lint"]).status == 0)

        result = try fixture.sealkit(["-f", "../input/database.yaml", "-w", "overlays/shared/db.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("rule 3 (overlays/shared/**) in .sealkit.yaml seals overlays/shared/db.yaml for dev, prod; choose one with --policy-cluster"))
        result = try fixture.sealkit(["-f", "../input/database.yaml", "-w", "overlays/shared/db.yaml", "--policy-cluster", "prod"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.unseal("overlays/shared/db.yaml", cluster: "prod").status == 0)
    }

    @Test("-w inside the repository takes cluster and scope from the rule for the output path")
    func policyForOutputPath() throws {
        let fixture = try GitOpsFixture()
        var result = try fixture.sealkit(["-f", "../input/database.yaml", "-w", "overlays/prod/db.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.unseal("overlays/prod/db.yaml", cluster: "prod").status == 0)
        #expect(!(try fixture.read("overlays/prod/db.yaml")).contains("namespace-wide"))

        // From a subdirectory: the policy is found above it.
        result = try fixture.sealkit(["-f", "../../../input/database.yaml", "-w", "db.yaml"], in: "overlays/dev")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.unseal("overlays/dev/db.yaml", cluster: "dev").status == 0)
        #expect(try fixture.read("overlays/dev/db.yaml").contains("sealedsecrets.bitnami.com/namespace-wide: \"true\""))

        // A path no rule covers: the policy decides only with --policy-cluster.
        result = try fixture.sealkit(["-f", "../input/database.yaml", "-w", "base/db.yaml", "--policy-cluster", "dev"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.unseal("base/db.yaml", cluster: "dev").status == 0)

        let refusals: [([String], String)] = [
            (["--scope", "cluster-wide", "-w", "overlays/prod/x.yaml"],
             "--scope cluster-wide contradicts rule 2 (overlays/prod/**) in .sealkit.yaml, which seals overlays/prod/x.yaml strict"),
            (["--policy-cluster", "dev", "-w", "overlays/prod/x.yaml"],
             "--policy-cluster dev: rule 2 (overlays/prod/**) in .sealkit.yaml seals overlays/prod/x.yaml for prod only"),
            (["--policy-cluster", "qa", "-w", "base/x.yaml"], "--policy-cluster qa: no such cluster in .sealkit.yaml (clusters: dev, prod)"),
            (["--cert", "certs/dev.crt", "-w", "overlays/prod/x.yaml"],
             "the certificate for cluster \"prod\" (--cert certs/dev.crt) has key fingerprint SHA256:FZT6NWFiMg5CBh0jCgNdCF30M0oPbBvDIFAeXSljnSE"),
            (["--all-clusters"], "--all-clusters needs -w FILE"),
            (["--all-clusters", "-w", "../x.yaml"], "-w ../x.yaml: with --all-clusters, -w is a file name relative to each overlay directory"),
            (["--all-clusters", "--scope", "strict", "-w", "x.yaml"], "--all-clusters cannot be combined with --scope"),
            (["--no-policy", "--all-clusters", "-w", "x.yaml"], "--no-policy cannot be combined"),
        ]
        for (arguments, message) in refusals {
            let refused = try fixture.sealkit(["-f", "../input/database.yaml"] + arguments)
            #expect(refused.status != 0, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
            #expect(!fixture.exists("overlays/prod/x.yaml"))
        }

        // Without the policy, -w is plain kubeseal again (here: --cert, any scope).
        result = try fixture.sealkit(["--no-policy", "--cert", "certs/dev.crt", "--scope", "cluster-wide", "-f", "../input/database.yaml",
                                      "-w", "overlays/prod/any.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.unseal("overlays/prod/any.yaml", cluster: "dev").status == 0)
    }

    @Test("a certificate whose fingerprint is not the pinned one is refused, whatever its source; nothing is written")
    func pins() throws {
        let fixture = try GitOpsFixture()
        // A swapped certificate file (say, in a pull request).
        try fixture.write("certs/prod.crt", try fixture.read("certs/dev.crt"))
        let result = try fixture.sealkit(["-f", "../input/database.yaml", "--all-clusters", "-w", "database.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the certificate for cluster \"prod\" (certs/prod.crt) has key fingerprint SHA256:FZT6NWFiMg5CBh0jCgNdCF30M0oPbBvDIFAeXSljnSE, but "))
        #expect(result.stderr.contains(".sealkit.yaml line 8 pins SHA256:6B4stqOsV0cpNHFPkFptPOhhzfswQ4ipX0NPj12qoto; refusing to seal"))
        #expect(!fixture.exists("overlays/dev/database.yaml"), "nothing is written when one cluster fails")
        #expect(!fixture.exists("overlays/prod/database.yaml"))
        // lint says the same, offline.
        let lint = try fixture.sealkit(["lint"])
        #expect(lint.status == 1)
        #expect(findingLines(lint.stdout).contains(".sealkit.yaml:8 policy-certificate"), "\(lint.stdout)")
    }

    @Test("a certificate fetched over HTTP is used only when its fingerprint is pinned")
    func fetchedCertificatePin() async throws {
        let fixture = try GitOpsFixture()
        // `sealkit ui` serves a certificate at /v1/cert.pem, as a controller does.
        let server = try CertificateServer(certificate: fixture.repo.appendingPathComponent("certs/prod.crt").path, log: fixture.workspace.path("ui.log"))
        defer { server.stop() }
        let url = try await server.url()
        let policy = try fixture.read(".sealkit.yaml").replacingOccurrences(of: "certificate: certs/prod.crt", with: "url: \(url)")
        try fixture.write(".sealkit.yaml", policy)
        var result = try fixture.sealkit(["-f", "../input/database.yaml", "-w", "overlays/prod/db.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.unseal("overlays/prod/db.yaml", cluster: "prod").status == 0)

        try fixture.write(".sealkit.yaml", policy.replacingOccurrences(of: "SHA256:6B4stqOsV0cpNHFPkFptPOhhzfswQ4ipX0NPj12qoto",
                                                                       with: "SHA256:FZT6NWFiMg5CBh0jCgNdCF30M0oPbBvDIFAeXSljnSE"))
        result = try fixture.sealkit(["-f", "../input/database.yaml", "-w", "overlays/prod/other.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the certificate for cluster \"prod\" (\(url)) has key fingerprint SHA256:6B4stqOsV0cpNHFPkFptPOhhzfswQ4ipX0NPj12qoto"),
                "\(result.stderr)")
        #expect(!fixture.exists("overlays/prod/other.yaml"))

        // A controller source goes through the kubeconfig context it names.
        try fixture.write(".sealkit.yaml", policy.replacingOccurrences(of: "url: \(url)", with: "controller: {context: prod-cluster}"))
        try fixture.write("kubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n")
        result = try fixture.sealkit(["-f", "../input/database.yaml", "-w", "overlays/prod/other.yaml", "--kubeconfig", "kubeconfig"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("prod-cluster"), "\(result.stderr)")
    }

    @Test("guard: the clean tree passes; each planted plaintext secret and credential is found at its line, never shown")
    func guardFindsPlantedSecrets() throws {
        let fixture = try GitOpsFixture()
        var result = try fixture.sealkit(["guard"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "sealkit guard: no findings (12 file(s) scanned; 1 allowed by .sealkit.yaml)\n")

        try fixture.plant("planted-guard")
        // Credentials are written here rather than committed, so this repository never holds
        // strings that secret scanners take for live tokens.
        let planted = PlantedCredentials()
        try fixture.write("config/app.env", planted.envFile)
        try fixture.write("scripts/migrate.sh", planted.script)
        try fixture.write("certs/server.key", String(decoding: try Data(contentsOf: fixture.workspace.path("keys/dev.key")), as: UTF8.self))
        try fixture.write("overlays/prod/tls.yaml", planted.configMapWithKey(try Data(contentsOf: fixture.workspace.path("keys/dev.key"))))

        result = try fixture.sealkit(["guard"])
        #expect(result.status == 1)
        let expected = [
            "base/exported.yaml:15 plaintext-secret",             // a Secret as item 2 of a List
            "certs/server.key:1 private-key",
            "config/app.env:1 aws-access-key-id",
            "config/app.env:2 aws-secret-access-key",
            "config/app.env:3 github-token",
            "config/app.env:4 slack-token",
            "overlays/dev/extras.yaml:13 plaintext-secret",       // the second document
            "overlays/dev/secrets/settings.json:3 not-sealed",    // requireSealed: a ConfigMap
            "overlays/prod/leaked-secret.yaml:8 plaintext-secret",
            "overlays/prod/secrets/notes.txt:1 not-sealed",       // requireSealed: not a manifest
            "overlays/prod/tls.yaml:5 private-key",               // base64 of a PEM key
            "scripts/migrate.sh:2 url-credentials",
        ]
        #expect(findingLines(result.stdout) == expected, "\(result.stdout)")
        #expect(result.stderr == "sealkit guard: 12 finding(s) in 9 file(s) (21 file(s) scanned; 1 allowed by .sealkit.yaml)\n")
        for secret in planted.values + ["fixture-password-not-real", "Zml4dHVyZS1wYXNzd29yZC1ub3QtcmVhbA", "fixture-api-token-not-real",
                                        "fixture-smtp-password", "MIIE"] {
            #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(secret) must not be printed")
        }

        // The same findings as JSON and SARIF, for scripts and code scanning.
        let json = try fixture.sealkit(["guard", "--output", "json"])
        #expect(json.status == 1)
        #expect(json.stdout.components(separatedBy: "\"rule\": ").count == expected.count + 2)  // + the allowed one
        #expect(json.stdout.contains("\"allowedBecause\": \"the tutorial's Secret, with dummy values; never applied\""))
        let sarif = try fixture.sealkit(["guard", "--output", "sarif", "config"])
        #expect(sarif.status == 1)
        #expect(sarif.stdout.contains("\"version\": \"2.1.0\""))
        #expect(sarif.stdout.contains("\"uri\": \"config/app.env\""))
        #expect(sarif.stdout.components(separatedBy: "\"ruleId\": ").count == 5)

        // Paths limit the scan; an allowed finding stays allowed when named directly.
        result = try fixture.sealkit(["guard", "docs", "base/kustomization.yaml"])
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test("guard --staged judges the index, and a one-line git hook blocks the commit")
    func stagedAndHook() throws {
        let fixture = try GitOpsFixture()
        try fixture.git(["init", "-q"])
        // The README's one-line install.
        let install = try fixture.shell(Self.hookInstall)
        #expect(install.status == 0, "\(install.stderr)")
        try fixture.git(["add", "-A"])
        var commit = try fixture.git(["commit", "-q", "-m", "clean tree"])
        #expect(commit.status == 0, "\(commit.stdout)\(commit.stderr)")

        // Staged plaintext, then the working file cleaned without staging: the index still leaks.
        let leaked = try String(contentsOf: fixture.workspace.path("planted-guard/overlays/prod/leaked-secret.yaml"), encoding: .utf8)
        try fixture.write("overlays/prod/leaked-secret.yaml", leaked)
        try fixture.git(["add", "overlays/prod/leaked-secret.yaml"])
        try fixture.write("overlays/prod/leaked-secret.yaml", "# nothing here\n")
        #expect(try fixture.sealkit(["guard"]).status == 0, "the working tree is clean")
        let staged = try fixture.sealkit(["guard", "--staged"])
        #expect(staged.status == 1)
        #expect(findingLines(staged.stdout) == ["overlays/prod/leaked-secret.yaml:8 plaintext-secret"])
        #expect(staged.stderr == "sealkit guard: 1 finding(s) in 1 file(s) (1 file(s) scanned)\n")

        commit = try fixture.git(["commit", "-q", "-m", "leak"])
        #expect(commit.status != 0, "the hook refuses the commit")
        #expect(commit.stderr.contains("overlays/prod/leaked-secret.yaml:8:1: error: Secret \"database\""), "\(commit.stderr)")
        #expect(try fixture.git(["log", "--oneline"]).stdout.split(separator: "\n").count == 1)

        // Staged clean content passes, whatever is in the working tree.
        try fixture.git(["add", "overlays/prod/leaked-secret.yaml"])
        try fixture.write("overlays/prod/leaked-secret.yaml", leaked)
        commit = try fixture.git(["commit", "-q", "-m", "placeholder"])
        #expect(commit.status == 0, "\(commit.stdout)\(commit.stderr)")

        // The staged policy judges the commit: allowing the file there lets it through.
        try fixture.git(["add", "overlays/prod/leaked-secret.yaml"])
        let allowing = try fixture.read(".sealkit.yaml") + "  - path: overlays/prod/leaked-secret.yaml\n    reason: test\n"
        try fixture.write(".sealkit.yaml", allowing)
        #expect(try fixture.sealkit(["guard", "--staged"]).status == 1, "the policy change is not staged yet")
        try fixture.git(["add", ".sealkit.yaml"])
        #expect(try fixture.sealkit(["guard", "--staged"]).status == 0)

        // Outside a repository --staged cannot run: exit 2, not "clean" and not "found".
        let outside = try run(Binaries.url("sealkit"), ["guard", "--staged"], in: fixture.workspace.path("input"))
        #expect(outside.status == 2)
        #expect(outside.stderr.hasPrefix("error: --staged: not inside a git repository"))
    }

    /// The plain git hook install the README gives, verbatim.
    static let hookInstall = #"hook=$(git rev-parse --git-path hooks/pre-commit) && printf '#!/bin/sh\nexec sealkit guard --staged\n' > "$hook" && chmod +x "$hook""#

    @Test("lint: the clean tree passes; each planted defect is flagged at its file:line")
    func lintFindsPlantedDefects() throws {
        let fixture = try GitOpsFixture()
        var result = try fixture.sealkit(["lint"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr == "sealkit lint: no findings (9 file(s) scanned)\n")

        try fixture.plant("planted-lint")
        result = try fixture.sealkit(["lint"])
        #expect(result.status == 1)
        let expected = [
            "overlays/dev/broken.yaml:6 invalid-yaml",
            "overlays/dev/invalid.yaml:10 invalid-sealedsecret",
            "overlays/dev/no-namespace.yaml:5 missing-namespace",
            "overlays/dev/strict-in-dev.yaml:5 scope-policy",
            "overlays/prod/annotation-value.json:8 scope-annotation-value",
            "overlays/prod/bad-base64.yaml:10 ciphertext-base64",
            "overlays/prod/copied-from-dev.yaml:10 ciphertext-key-size",
            "overlays/prod/last-applied.yaml:16 last-applied-configuration",
            "overlays/prod/list.yaml:25 ciphertext-framing",
            "overlays/prod/scope-mismatch.yaml:15 scope-mismatch",
            "overlays/prod/truncated.yaml:10 ciphertext-framing",
        ]
        #expect(findingLines(result.stdout) == expected, "\(result.stdout)")
        #expect(result.stderr == "sealkit lint: 11 finding(s) in 11 file(s) (20 file(s) scanned)\n")
        #expect(result.stdout.contains("sealed with a 2048-bit key, but rule 2 (overlays/prod/**) deploys here to cluster prod (3072 bits)"))

        let sarif = try fixture.sealkit(["lint", "--output", "sarif", "overlays/prod/scope-mismatch.yaml"])
        #expect(sarif.status == 1)
        #expect(sarif.stdout.contains("\"uri\": \"overlays/prod/scope-mismatch.yaml\""))
        #expect(sarif.stdout.contains("\"startLine\": 15"))
        #expect(sarif.stdout.contains("\"ruleId\": \"scope-mismatch\""))

        // A broken policy is "could not run" (2), not a finding.
        try fixture.write(".sealkit.yaml", try fixture.read(".sealkit.yaml").replacingOccurrences(of: "scope: strict", with: "scope: strikt"))
        result = try fixture.sealkit(["lint"])
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix(".sealkit.yaml: line 17: rules[1].scope: expected strict, namespace-wide or cluster-wide, found \"strikt\"\n"),
                "\(result.stderr)")
        #expect(try fixture.sealkit(["lint", "no/such/path"]).status == 2)
    }

    @Test("the pre-commit framework's hook file names guard and lint") func preCommitHooksFile() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let hooks = try String(contentsOf: root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        #expect(hooks.contains("- id: sealkit-guard\n") && hooks.contains("  entry: sealkit guard\n"))
        #expect(hooks.contains("- id: sealkit-lint\n") && hooks.contains("  entry: sealkit lint\n"))
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(Self.hookInstall), "the README gives the install line this test runs")
    }
}

/// Token-shaped strings for the guard test, assembled from pieces (see `FakeCredentials` in the
/// core tests for why).
struct PlantedCredentials {
    let awsKeyID = "AK" + "IA" + "Z3MPLQ7RT2XV9WNB"
    let awsSecret = "aB3dE5gH7jK9mN1pQ3sT5vW7" + "yZ9bD1fH3kM5pR7t"
    let githubToken = "gh" + "p_" + "A1b2C3d4E5f6G7h8I9j0" + "K1l2M3n4O5p6Q7r8"
    let slackToken = "xo" + "xb-" + "123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx"
    let databasePassword = "Q8vR2m" + "T6wZ1x"

    var values: [String] { [awsKeyID, awsSecret, githubToken, slackToken, databasePassword].map { String($0.dropFirst(6)) } }

    var envFile: String {
        "AWS_ACCESS_KEY_ID=\(awsKeyID)\nAWS_SECRET_ACCESS_KEY=\(awsSecret)\nGITHUB_TOKEN=\(githubToken)\nSLACK_BOT_TOKEN=\(slackToken)\n"
    }

    var script: String { "#!/bin/sh\npsql 'postgres://orders:\(databasePassword)@db.prod.internal:5432/orders' -f migrate.sql\n" }

    func configMapWithKey(_ pem: Data) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tls}\ndata:\n  tls.key: \(pem.base64EncodedString())\n"
    }
}

/// `sealkit ui --cert FILE` in the background: an HTTP server answering `/v1/cert.pem` as a
/// controller does, for the fetched-certificate pin test.
final class CertificateServer {
    private let process = Process()
    private let port: Int
    private let log: URL

    init(certificate: String, log: URL) throws {
        port = try FreePort.pick()
        self.log = log
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw CLIError("cannot create \(log.path)") }
        process.executableURL = Binaries.url("sealkit")
        process.arguments = ["ui", "--cert", certificate, "--listen", "127.0.0.1:\(port)"]
        process.environment = ChildEnvironment.with(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// The certificate URL, once the server says it is listening.
    func url() async throws -> String {
        for _ in 0 ..< 200 {
            if (try? String(contentsOf: log, encoding: .utf8))?.contains("serving the sealing page") == true {
                return "http://127.0.0.1:\(port)/v1/cert.pem"
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLIError("sealkit ui did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    struct CLIError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
