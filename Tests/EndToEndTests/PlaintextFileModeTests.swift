import Foundation
import Testing

/// Files that hold plaintext or private keys are mode 0600 — also when they already existed
/// with a wider mode, which an atomic rewrite used to keep.
@Suite("Plaintext file modes")
struct PlaintextFileModeTests {
    static func mode(_ workspace: Workspace, _ name: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: workspace.path(name).path)[.posixPermissions] as? Int
    }

    @Test("--recovery-unseal -w over an existing 0644 file leaves it 0600 with the plaintext", arguments: ["out.json", "out.yaml"])
    func recoveryOverWorldReadable(_ output: String) throws {
        let workspace = try Workspace()
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: ns}\nstringData: {password: recovered-value}\n"
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        try workspace.write("sealed.yaml", sealed.stdout)
        try workspace.write(output, "old content, readable by everyone\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: workspace.path(output).path)
        #expect(try Self.mode(workspace, output) == 0o644)

        let result = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-f", "sealed.yaml", "-w", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.mode(workspace, output) == 0o600, "the plaintext must be readable by its owner only")

        // Same bytes as the unsealed output on stdout (compared without printing them).
        let format = output.hasSuffix(".yaml") ? "yaml" : "json"
        let expected = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-f", "sealed.yaml", "-o", format])
        let written = try workspace.read(output)
        let same = written == expected.stdout
        #expect(same, "the file holds the unsealed Secret")
        #expect(written.contains(Data("recovered-value".utf8).base64EncodedString()))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("keys generate --force over existing 0644 files leaves the private key 0600") func keysOverWorldReadable() throws {
        let workspace = try Workspace()
        for name in ["new.key", "key-secret.yaml"] {
            try workspace.write(name, "old\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: workspace.path(name).path)
        }
        let result = try workspace.sealkit(["keys", "generate", "--force", "--key-size", "2048", "--key-file", "new.key",
                                            "--cert-file", "new.crt", "--secret", "key-secret.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.mode(workspace, "new.key") == 0o600)
        #expect(try Self.mode(workspace, "key-secret.yaml") == 0o600)
        #expect(try Self.mode(workspace, "new.crt") == 0o644)
    }

    @Test("a private key file group or others can read is refused, by every command that reads keys, unless allowed",
          arguments: [0o644, 0o640, 0o604])
    func insecureKeyFileRefused(_ mode: Int) throws {
        let workspace = try Workspace()
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: ns}\nstringData: {password: p}\n"
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: secret)
        try workspace.write("sealed.yaml", sealed.stdout)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: workspace.path("key.pem").path)

        for arguments in [["--recovery-unseal", "-f", "sealed.yaml"], ["reseal", ".", "--cert", "cert.pem", "--dry-run"],
                          ["keys", "inventory", "."]] {
            let refused = try workspace.sealkit(arguments + ["--recovery-private-key", "key.pem"])
            #expect(refused.status != 0, "\(arguments)")
            #expect(refused.stderr == "error: key.pem: private key file is readable by group or others (mode 0\(String(mode, radix: 8))); "
                + "run \"chmod 600 key.pem\", or pass --allow-insecure-key-file\n", "\(arguments)")
            let allowed = try workspace.sealkit(arguments + ["--recovery-private-key", "key.pem", "--allow-insecure-key-file"])
            #expect(allowed.status == 0, "\(arguments): \(allowed.stderr)")
        }
        // kubeseal's environment spelling of the flag works too.
        let fromEnvironment = try workspace.sealkit(["--recovery-unseal", "-f", "sealed.yaml", "--recovery-private-key", "key.pem"],
                                                    environment: ["SEALED_SECRETS_ALLOW_INSECURE_KEY_FILE": "true"])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
    }
}
