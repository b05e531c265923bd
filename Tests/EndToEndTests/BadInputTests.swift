import Foundation
import Testing
@testable import SealKit

/// Bad input gets one line on stderr naming file, document and item; a non-zero exit; no
/// output file created or changed; no plaintext in the message; never a crash.
@Suite("Bad input")
struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        var arguments: [String] = ["--cert", "cert.pem", "-f", "input.yaml"]
        /// Fragments the error line must contain.
        let mentions: [String]
        var testDescription: String { name }
    }

    static let plaintext = "hunter2-plaintext"
    static let good = "apiVersion: v1\nkind: Secret\nmetadata: {name: ok, namespace: ns}\nstringData: {password: \(plaintext)}\n"

    static let cases: [Case] = [
        Case(name: "malformed YAML", input: good + "---\nkind: [Secret\n", mentions: ["input.yaml", "document 2", "line"]),
        Case(name: "malformed JSON", input: "{\"kind\": \"Secret\",, }", mentions: ["input.yaml", "document 1"]),
        Case(name: "not a Secret", input: good + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
             mentions: ["input.yaml", "document 2", "ConfigMap"]),
        Case(name: "missing name", input: "apiVersion: v1\nkind: Secret\nmetadata: {namespace: ns}\nstringData: {a: \(plaintext)}\n",
             mentions: ["input.yaml", "document 1", "metadata.name"]),
        Case(name: "invalid base64", input: "apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: ns}\ndata: {token: 'aHVudGVy!'}\n",
             mentions: ["input.yaml", "document 1", "\"token\"", "base64"]),
        Case(name: "empty data", input: "apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: ns}\n",
             mentions: ["--allow-empty-data"]),
        Case(name: "expired certificate", input: good, arguments: ["--cert", "expired.pem", "-f", "input.yaml"],
             mentions: ["expired.pem", "expired"]),
        Case(name: "certificate not RSA", input: good, arguments: ["--cert", "ec-cert.pem", "-f", "input.yaml"],
             mentions: ["ec-cert.pem", "not RSA"]),
        Case(name: "certificate too small", input: good, arguments: ["--cert", "rsa1024-cert.pem", "-f", "input.yaml"],
             mentions: ["rsa1024-cert.pem", "1024"]),
        Case(name: "not a certificate", input: good, arguments: ["--cert", "input.yaml", "-f", "input.yaml"],
             mentions: ["input.yaml", "not a PEM certificate"]),
        Case(name: "missing certificate file", input: good, arguments: ["--cert", "nope.pem", "-f", "input.yaml"],
             mentions: ["nope.pem", "no such file"]),
        Case(name: "private key that is not a key", input: good,
             arguments: ["--recovery-unseal", "--recovery-private-key", "cert.pem", "--allow-insecure-key-file", "-f", "input.yaml"],
             mentions: ["cert.pem", "not a usable private key"]),
        Case(name: "private key file others can read", input: good,
             arguments: ["--recovery-unseal", "--recovery-private-key", "open-key.pem", "-f", "input.yaml"],
             mentions: ["open-key.pem", "readable by group or others (mode 0644)", "chmod 600 open-key.pem", "--allow-insecure-key-file"]),
        Case(name: "encrypted private key", input: good,
             arguments: ["--recovery-unseal", "--recovery-private-key", "encrypted-key.pem", "-f", "input.yaml"],
             mentions: ["encrypted-key.pem"]),
    ]

    private func prepare() throws -> Workspace {
        let workspace = try Workspace()
        for name in ["ec-cert.pem", "rsa1024-cert.pem", "encrypted-key.pem"] {
            try FileManager.default.copyItem(at: Binaries.fixtures.appendingPathComponent(name), to: workspace.path(name))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: workspace.path("encrypted-key.pem").path)
        try workspace.write("open-key.pem", try workspace.read("key.pem"), mode: 0o644)
        let key = try PrivateKey.generateRSA(bits: 2048)
        let expired = try Certificate.selfSigned(for: key, validity: 3600, notBefore: Date(timeIntervalSinceNow: -86400))
        try workspace.write("expired.pem", expired.pem())
        return workspace
    }

    private func expectCleanFailure(_ result: CommandResult, mentions: [String], workspace: Workspace) throws {
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "one line, got: \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: "))
        for fragment in mentions { #expect(result.stderr.contains(fragment), "\(result.stderr) should mention \(fragment)") }
        #expect(!result.stderr.contains(Self.plaintext))
        #expect(!result.stderr.contains("aHVudGVy"))
        #expect(!result.stderr.contains("Fatal error"))
        #expect(result.stdout.isEmpty)
    }

    @Test("fails cleanly and writes nothing", arguments: cases)
    func failsCleanly(_ testCase: Case) throws {
        let workspace = try prepare()
        try workspace.write("input.yaml", testCase.input)
        let result = try workspace.sealkit(testCase.arguments + ["-w", "out.json"])
        try expectCleanFailure(result, mentions: testCase.mentions, workspace: workspace)
        #expect(!workspace.exists("out.json"), "no partial output file")

        // An existing output file is left exactly as it was.
        try workspace.write("out.json", "previous content\n")
        _ = try workspace.sealkit(testCase.arguments + ["-w", "out.json"])
        #expect(try workspace.read("out.json") == "previous content\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path).allSatisfy { !$0.contains(".tmp-") })
    }

    /// Sealed values that cannot be opened: tampered, wrong name, wrong scope, wrong key.
    @Test("unsealing failures name document and item", arguments: ["tamper", "rename", "widen-scope", "other-key"])
    func unsealFailures(_ how: String) throws {
        let workspace = try prepare()
        try workspace.write("secret.yaml", Self.good)
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "-f", "secret.yaml", "-o", "yaml"])
        #expect(sealed.status == 0)
        var text = sealed.stdout
        var keyFile = "key.pem"
        switch how {
        case "tamper":
            let line = text.split(separator: "\n").first { $0.contains("password: Ag") }!
            var bytes = Array(line)
            let index = bytes.count - 8
            bytes[index] = bytes[index] == "A" ? "B" : "A"
            text = text.replacingOccurrences(of: line, with: String(bytes))
        case "rename":
            text = text.replacingOccurrences(of: "  name: ok\n  namespace: ns\nspec", with: "  name: other\n  namespace: ns\nspec")
        case "widen-scope":
            text = text.replacingOccurrences(of: "metadata:\n  name: ok", with: "metadata:\n  annotations:\n    sealedsecrets.bitnami.com/cluster-wide: \"true\"\n  name: ok")
        default:
            try workspace.copyPrivateKey("other_key.pem", as: "other.pem")
            keyFile = "other.pem"
        }
        #expect(text != sealed.stdout || how == "other-key")
        let first = try workspace.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: Self.good.replacingOccurrences(of: "name: ok", with: "name: first"))
        // Both start with `---`, as kubeseal writes YAML: plain concatenation is a valid stream.
        try workspace.write("sealed.yaml", first.stdout + text)
        let result = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", keyFile, "-f", "sealed.yaml", "-w", "out.json"])
        // With the wrong key, the first document already fails.
        let document = how == "other-key" ? "document 1" : "document 2"
        try expectCleanFailure(result, mentions: ["sealed.yaml", document, "\"password\"", "no key could decrypt"], workspace: workspace)
        #expect(!workspace.exists("out.json"))
    }

    @Test("random garbage never crashes the CLI", arguments: 0 ..< 24)
    func garbage(_ seed: Int) throws {
        let workspace = try Workspace()
        var generator = SplitMix(seed: UInt64(seed))
        let alphabet = Array("{}[]:,-?&*!|>'\"%@`#\n \tab01=/+\\".utf8)
        let bytes = (0 ..< 200).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        try Data(bytes).write(to: workspace.path("garbage.yaml"))
        for arguments in [["--cert", "cert.pem", "-f", "garbage.yaml"],
                          ["--recovery-unseal", "--recovery-private-key", "key.pem", "-f", "garbage.yaml"],
                          ["--recovery-unseal", "--recovery-private-key", "garbage.yaml", "-f", "garbage.yaml"]] {
            let result = try workspace.sealkit(arguments)
            #expect(result.status == 0 || result.status == 1, "exit \(result.status): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count <= 1)
        }
    }
}

/// A tiny deterministic generator, so the garbage tests are reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Closed output")
struct ClosedOutputTests {
    /// Regression: a reader that went away (`| head`, git exiting early) used to kill the
    /// process with SIGPIPE; now it is a clean error.
    @Test("a closed stdout is an error, not a signal") func closedPipe() throws {
        let workspace = try Workspace()
        let process = Process()
        process.executableURL = Binaries.url("sealkit")
        process.arguments = ["--raw", "--cert", "cert.pem", "--scope", "cluster-wide"]
        process.currentDirectoryURL = workspace.url
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try output.fileHandleForReading.close()
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data("value".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 1)
    }
}
