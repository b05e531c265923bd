import Foundation
import Testing

/// Flag behaviour that must match kubeseal v0.36 exactly (cmd/kubeseal/main.go and
/// pkg/kubeseal/kubeseal.go), so `alias kubeseal=sealkit` changes nothing in a script.
@Suite("kubeseal compatibility")
struct KubesealCompatibilityTests {
    static let two = CLITests.secret + "\n---\n" + CLITests.secret.replacingOccurrences(of: "name: db", with: "name: cache")

    @Test("-w x.yaml writes YAML even with -o json; -o is case-insensitive") func formatChoice() throws {
        let workspace = try Workspace()
        let written = try workspace.sealkit(["--cert", "cert.pem", "-o", "json", "-w", "out.yaml"], stdin: CLITests.secret)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try workspace.read("out.yaml").hasPrefix("---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n"))
        let upper = try workspace.sealkit(["--cert", "cert.pem", "-o", "YAML"], stdin: CLITests.secret)
        #expect(upper.status == 0, "\(upper.stderr)")
        #expect(upper.stdout.hasPrefix("---\napiVersion:"))
        let mixed = try workspace.sealkit(["--cert", "cert.pem", "--format=Json"], stdin: CLITests.secret)
        #expect(mixed.stdout.hasPrefix("{"))
        let bad = try workspace.sealkit(["--cert", "cert.pem", "-o", "xml"], stdin: CLITests.secret)
        #expect(bad.status != 0)
        #expect(bad.stderr.split(separator: "\n").contains { $0.contains("xml") })
    }

    @Test("YAML: every document starts with ---; JSON: one object per line break") func separators() throws {
        let workspace = try Workspace()
        let yaml = try workspace.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: Self.two)
        #expect(yaml.status == 0, "\(yaml.stderr)")
        let lines = yaml.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "---")
        #expect(lines.filter { $0 == "---" }.count == 2)
        #expect(yaml.stdout.hasSuffix("\n") && !yaml.stdout.hasSuffix("\n\n"))
        let json = try workspace.sealkit(["--cert", "cert.pem"], stdin: Self.two)
        #expect(json.stdout.hasPrefix("{"))
        #expect(json.stdout.components(separatedBy: "}\n{").count == 2)
        #expect(json.stdout.hasSuffix("}\n"))
    }

    @Test("--name renames the sealed Secret and binds its strict-scope label to the new name") func nameInNormalSealing() throws {
        let workspace = try Workspace()
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "--name", "renamed", "-o", "yaml"], stdin: CLITests.secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.contains("  name: renamed\n"))
        #expect(!sealed.stdout.contains("name: db"))
        // Strict scope: the ciphertext opens under the new name, so unsealing it succeeds...
        let unsealed = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-o", "yaml"], stdin: sealed.stdout)
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        #expect(unsealed.stdout.contains("name: renamed"))
        // ...and under the old name it does not.
        let back = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem"],
                                         stdin: sealed.stdout.replacingOccurrences(of: "name: renamed", with: "name: db"))
        #expect(back.status != 0)
        #expect(back.stderr.contains("no key could decrypt"))
    }

    @Test("--cert takes file:// URLs") func fileURL() throws {
        let workspace = try Workspace()
        let path = workspace.path("cert.pem").path
        let sealed = try workspace.sealkit(["--cert", "file://" + path], stdin: CLITests.secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.contains("\"encryptedData\""))
        let escaped = try workspace.sealkit(["--cert", "file://" + path.replacingOccurrences(of: "cert.pem", with: "cert%2Epem")],
                                            stdin: CLITests.secret)
        #expect(escaped.status == 0, "percent-escapes are decoded: \(escaped.stderr)")
        let missing = try workspace.sealkit(["--cert", "file:///nonexistent/cert.pem"], stdin: CLITests.secret)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: /nonexistent/cert.pem: no such file\n")
    }

    @Test("Go-style boolean flags: --raw=true, --allow-empty-data=false") func goBooleans() throws {
        let workspace = try Workspace()
        let raw = try workspace.sealkit(["--cert", "cert.pem", "--raw=true", "--scope", "cluster-wide"], stdin: "hunter2")
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stdout.hasPrefix("Ag"))
        let empty = try workspace.sealkit(["--cert", "cert.pem", "--allow-empty-data=false"],
                                          stdin: "apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: ns}\n")
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("--allow-empty-data"))
    }
}
