import Foundation
import Testing

/// `sealkit age` against Debian's real `age` and `age-keygen`, both directions, binary and
/// armored, plus the failure paths (wrong identity, altered file): one line, no output file.
@Suite("age interoperability with age and age-keygen")
struct AgeInteropTests {
    static var enabled: Bool { PeerTools.ageAvailable || PeerTools.required }

    func requireAge() throws -> (age: URL, keygen: URL) {
        let age = try #require(PeerTools.age, "age is required in CI (apt-get install age)")
        let keygen = try #require(PeerTools.ageKeygen, "age-keygen is required in CI (apt-get install age)")
        return (age, keygen)
    }

    /// A plaintext that is not valid UTF-8 and crosses a 64 KiB chunk boundary.
    static func plaintext(_ size: Int) -> Data {
        Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) })
    }

    @Test("sealkit encrypts to an age-keygen key; age decrypts", .enabled(if: enabled))
    func sealkitToAge() throws {
        let tools = try requireAge()
        let workspace = try Workspace()
        try run(tools.keygen, ["-o", "key.txt"], in: workspace.url)
        let recipient = try run(tools.keygen, ["-y", "key.txt"], in: workspace.url).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(recipient.hasPrefix("age1"))
        for size in [0, 5, 65536, 200_000] {
            try Self.plaintext(size).write(to: workspace.path("plain"))
            for armor in [false, true] {
                let encrypted = try workspace.sealkit(["age", "encrypt", "-r", recipient] + (armor ? ["-a"] : []) + ["-o", "file.age", "plain"])
                try #require(encrypted.status == 0, "\(encrypted.stderr)")
                let head = try Data(contentsOf: workspace.path("file.age")).prefix(34)
                #expect(String(decoding: head, as: UTF8.self).hasPrefix(armor ? "-----BEGIN AGE ENCRYPTED FILE-----" : "age-encryption.org/v1"))
                let decrypted = try run(tools.age, ["-d", "-i", "key.txt", "-o", "out", "file.age"], in: workspace.url)
                #expect(decrypted.status == 0, "size \(size) armor \(armor): \(decrypted.stderr)")
                // age opens its output lazily: an empty plaintext leaves no file.
                let out = workspace.exists("out") ? try Data(contentsOf: workspace.path("out")) : Data()
                #expect(out == Self.plaintext(size), "size \(size) armor \(armor)")
                try? FileManager.default.removeItem(at: workspace.path("out"))
            }
        }
    }

    @Test("age encrypts to a sealkit keygen key; sealkit decrypts; age reads sealkit's identity file", .enabled(if: enabled))
    func ageToSealkit() throws {
        let tools = try requireAge()
        let workspace = try Workspace()
        let generated = try workspace.sealkit(["age", "keygen", "-o", "key.txt"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path("key.txt").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let lines = try workspace.read("key.txt").split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("# created: 20"))
        #expect(lines[2].hasPrefix("AGE-SECRET-KEY-1"))
        let recipient = try run(tools.keygen, ["-y", "key.txt"], in: workspace.url).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(lines[1] == "# public key: \(recipient)")
        #expect(generated.stderr == "Public key: \(recipient)\n")
        #expect(try workspace.sealkit(["age", "keygen", "-y", "key.txt"]).stdout == recipient + "\n")

        for size in [0, 5, 65536, 200_000] {
            try Self.plaintext(size).write(to: workspace.path("plain"))
            for armor in [false, true] {
                let encrypted = try run(tools.age, ["-r", recipient] + (armor ? ["-a"] : []) + ["-o", "file.age", "plain"], in: workspace.url)
                try #require(encrypted.status == 0, "\(encrypted.stderr)")
                let decrypted = try workspace.sealkit(["age", "decrypt", "-i", "key.txt", "-o", "out", "file.age"])
                #expect(decrypted.status == 0, "size \(size) armor \(armor): \(decrypted.stderr)")
                #expect(try Data(contentsOf: workspace.path("out")) == Self.plaintext(size), "size \(size) armor \(armor)")
                let mode = try FileManager.default.attributesOfItem(atPath: workspace.path("out").path)[.posixPermissions] as? NSNumber
                #expect(mode?.intValue == 0o600)
                try FileManager.default.removeItem(at: workspace.path("out"))
            }
        }
        // age itself accepts the identity file sealkit wrote.
        try workspace.write("short", "hello")
        #expect(try workspace.sealkit(["age", "encrypt", "-r", recipient, "-a", "-o", "short.age", "short"]).status == 0)
        #expect(try run(tools.age, ["-d", "-i", "key.txt", "short.age"], in: workspace.url).stdout == "hello")
    }

    @Test("wrong identity and altered files: one-line error, nothing written", .enabled(if: enabled))
    func failures() throws {
        let tools = try requireAge()
        let workspace = try Workspace()
        try run(tools.keygen, ["-o", "key.txt"], in: workspace.url)
        try run(tools.keygen, ["-o", "other.txt"], in: workspace.url)
        let recipient = try run(tools.keygen, ["-y", "key.txt"], in: workspace.url).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try Self.plaintext(100_000).write(to: workspace.path("plain"))
        try run(tools.age, ["-r", recipient, "-o", "file.age", "plain"], in: workspace.url)

        let wrong = try workspace.sealkit(["age", "decrypt", "-i", "other.txt", "-o", "out", "file.age"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr == "error: file.age: no identity matched any of the age file's recipients\n")
        #expect(!workspace.exists("out"))

        var bytes = try Data(contentsOf: workspace.path("file.age"))
        bytes[bytes.count - 70_000] ^= 0x20
        try bytes.write(to: workspace.path("altered.age"))
        let altered = try workspace.sealkit(["age", "decrypt", "-i", "key.txt", "-o", "out", "altered.age"])
        #expect(altered.status != 0)
        #expect(altered.stderr.hasPrefix("error: altered.age: age payload chunk 1 does not authenticate"))
        #expect(altered.stderr.split(separator: "\n").count == 1)
        #expect(!workspace.exists("out"))
        // Sanity: age agrees the file was altered.
        #expect(try run(tools.age, ["-d", "-i", "key.txt", "altered.age"], in: workspace.url).status != 0)

        let truncated = try workspace.sealkit(["age", "decrypt", "-i", "key.txt", "-o", "out"], stdin: "age-encryption.org/v1\n-> X25519 abc\n")
        #expect(truncated.status != 0)
        #expect(!workspace.exists("out"))
        try workspace.write("existing", "keep")
        #expect(try workspace.sealkit(["age", "keygen", "-o", "existing"]).status != 0)
        #expect(try workspace.read("existing") == "keep")
    }
}
