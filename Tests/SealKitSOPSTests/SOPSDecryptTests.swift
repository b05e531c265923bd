import Foundation
import Testing
@testable import SealKit
@testable import SealKitSOPS

/// Known answers from the real sops (Fixtures/sops): SealKit's output must equal what
/// `sops decrypt` printed, byte for byte, and every altered file must fail.
@Suite("SOPS decryption")
struct SOPSDecryptTests {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/sops")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String { String(decoding: try bytes(name), as: UTF8.self) }

    static let identities: [AgeIdentity] = {
        let data = FileManager.default.contents(atPath: directory.appendingPathComponent("key.txt").path)!
        return try! AgeIdentityFile.parse([UInt8](data), source: "key.txt")
    }()

    static func decrypt(_ bytes: [UInt8], _ name: String, identities: [AgeIdentity] = identities) throws(SOPSError) -> [UInt8] {
        let file = try SOPSFile(bytes, format: SOPSFormat.from(path: name), source: name)
        return try file.decrypt(with: identities).emit().copyBytes()
    }

    @Test("decrypts what sops wrote, exactly as sops decrypt prints it", arguments: [
        "enc.yaml", "enc.json", "enc.env", "enc.ini", "enc.bin", "enc-comments.yaml", "enc-encrypted-regex.yaml",
        "enc-unencrypted-regex.yaml", "enc-encrypted-suffix.yaml", "enc-mac-only-encrypted.yaml",
    ])
    func knownAnswer(_ name: String) throws {
        let expected = try Self.bytes("expected" + name.dropFirst(3))
        #expect(try Self.decrypt(try Self.bytes(name), name) == expected)
    }

    @Test("the binary fixture holds bytes that are not UTF-8, and they come back exactly")
    func binaryBytes() throws {
        let plain = try Self.bytes("plain.bin")
        #expect(String(validating: plain, as: UTF8.self) == nil)
        #expect(try Self.decrypt(try Self.bytes("enc.bin"), "enc.bin") == plain)
    }

    /// Replaces the first occurrence of `old` in the fixture.
    static func altered(_ name: String, _ old: String, _ new: String) throws -> [UInt8] {
        let text = try Self.text(name)
        let range = try #require(text.range(of: old), "\(old) not in \(name)")
        return Array(text.replacingCharacters(in: range, with: new).utf8)
    }

    /// The `data:` field of the encrypted value on the line starting with `prefix`.
    static func ciphertext(in name: String, line prefix: String) throws -> String {
        let line = try #require(try Self.text(name).split(separator: "\n").first { $0.hasPrefix(prefix) })
        let start = try #require(line.range(of: "data:"))
        let end = try #require(line[start.upperBound...].firstIndex(of: ","))
        return String(line[start.upperBound..<end])
    }

    @Test("an altered value fails with the key path")
    func alteredValue() throws {
        let data = try Self.ciphertext(in: "enc.yaml", line: "password:")
        let flipped = (data.first == "A" ? "B" : "A") + data.dropFirst()
        let input = try Self.altered("enc.yaml", "data:\(data),", "data:\(flipped),")
        do {
            _ = try Self.decrypt(input, "enc.yaml")
            Issue.record("altered value decrypted")
        } catch {
            #expect(error.code == .valueDecryption)
            #expect(error.message == "enc.yaml: value at [\"password\"] does not decrypt (altered, or moved from another key)")
        }
    }

    @Test("a value moved to another key fails: the path is authenticated")
    func movedValue() throws {
        let text = try Self.text("enc.yaml")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let name = try #require(lines.firstIndex { $0.hasPrefix("name:") })
        let password = try #require(lines.firstIndex { $0.hasPrefix("password:") })
        var swapped = lines
        swapped[name] = "name:" + lines[password].dropFirst("password:".count)
        swapped[password] = "password:" + lines[name].dropFirst("name:".count)
        #expect(throws: SOPSError(.valueDecryption, "")) {
            try Self.decrypt(Array(swapped.joined(separator: "\n").utf8), "enc.yaml")
        }
    }

    @Test("a removed value, an altered clear value or an altered MAC fails the MAC check")
    func macChecks() throws {
        // Removing an encrypted entry leaves every remaining value valid; only the MAC notices.
        let text = try Self.text("enc.yaml")
        let removed = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("port:") }
        #expect(throws: SOPSError(.macMismatch, "")) { try Self.decrypt(Array(removed.joined(separator: "\n").utf8), "enc.yaml") }
        // Clear values (the _unencrypted suffix) are covered by the MAC too.
        #expect(throws: SOPSError(.macMismatch, "")) {
            try Self.decrypt(try Self.altered("enc.yaml", "key_unencrypted: visible", "key_unencrypted: changed"), "enc.yaml")
        }
        let mac = try Self.ciphertext(in: "enc.yaml", line: "    mac:")
        let flipped = (mac.first == "A" ? "B" : "A") + mac.dropFirst()
        let input = try Self.altered("enc.yaml", "data:\(mac),", "data:\(flipped),")
        do {
            _ = try Self.decrypt(input, "enc.yaml")
            Issue.record("altered MAC accepted")
        } catch {
            #expect(error.code == .macMismatch)
        }
        #expect(throws: SOPSError(.macMismatch, "")) {
            try Self.decrypt(try Self.altered("enc.yaml", "lastmodified: \"20", "lastmodified: \"19"), "enc.yaml")
        }
    }

    @Test("mac_only_encrypted: clear values may change, encrypted ones may not")
    func macOnlyEncrypted() throws {
        let renamed = try Self.altered("enc-mac-only-encrypted.yaml", "namespace: prod", "namespace: staging")
        #expect(String(decoding: try Self.decrypt(renamed, "enc-mac-only-encrypted.yaml"), as: UTF8.self).contains("namespace: staging"))
        let text = try Self.text("enc-mac-only-encrypted.yaml")
        let removed = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("    username:") }
        #expect(throws: SOPSError(.macMismatch, "")) {
            try Self.decrypt(Array(removed.joined(separator: "\n").utf8), "enc-mac-only-encrypted.yaml")
        }
        // Without mac_only_encrypted the same change to a clear value is caught.
        #expect(throws: SOPSError(.macMismatch, "")) {
            try Self.decrypt(try Self.altered("enc-encrypted-regex.yaml", "namespace: prod", "namespace: staging"), "enc-encrypted-regex.yaml")
        }
    }

    @Test("a wrong identity, no identity, KMS-only and Shamir files: clear errors")
    func keyErrors() throws {
        let stranger = try AgeIdentity.generate()
        let input = try Self.bytes("enc.yaml")
        do {
            _ = try Self.decrypt(input, "enc.yaml", identities: [stranger])
            Issue.record("decrypted with a stranger's key")
        } catch {
            #expect(error.code == .noDataKey)
            #expect(error.message.contains("none of the 1 age identities"))
            #expect(error.message.contains(Self.identities[0].recipient.description))
        }
        #expect(throws: SOPSError(.noDataKey, "")) { try Self.decrypt(try Self.bytes("enc.json"), "enc.json", identities: []) }

        let kms = """
            password: ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]
            sops:
                kms:
                    - arn: arn:aws:kms:eu-west-1:111122223333:key/abcd
                      created_at: "2024-01-01T00:00:00Z"
                      enc: AQICAHg=
                      aws_profile: ""
                pgp:
                    - created_at: "2024-01-01T00:00:00Z"
                      enc: x
                      fp: 85D77543B3D624B63CEA9E6DBC17301B491B3F21
                lastmodified: "2024-01-01T00:00:00Z"
                mac: ENC[AES256_GCM,data:AAAA,iv:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]
                version: 3.8.1
            """
        do {
            _ = try Self.decrypt(Array(kms.utf8), "kms.yaml")
            Issue.record("a KMS-only file decrypted")
        } catch {
            #expect(error.code == .noDataKey)
            #expect(error.message == "kms.yaml: no age recipient holds the data key, only AWS KMS arn:aws:kms:eu-west-1:111122223333:key/abcd, PGP 85D77543B3D624B63CEA9E6DBC17301B491B3F21; SealKit decrypts SOPS files encrypted to age")
        }
        let shamir = kms.replacingOccurrences(of: "    kms:\n", with: "    key_groups:\n        - kms:\n")
            .replacingOccurrences(of: "    pgp:\n", with: "        - pgp:\n")
            .replacingOccurrences(of: "\n          ", with: "\n                  ")
            .replacingOccurrences(of: "\n        - arn", with: "\n                - arn")
            .replacingOccurrences(of: "\n        - created_at", with: "\n                - created_at")
        #expect(throws: SOPSError(.unsupported, "")) { try Self.decrypt(Array(shamir.utf8), "shamir.yaml") }
        #expect(throws: SOPSError(.notEncrypted, "")) { try Self.decrypt(Array("a: b\n".utf8), "plain.yaml") }
    }

    @Test("--extract: a string as its bytes, a mapping as a document, an index, errors for missing paths")
    func extract() throws {
        let file = try SOPSFile(try Self.bytes("enc.yaml"), format: .yaml, source: "enc.yaml")
        let plain = try file.decrypt(with: Self.identities)
        #expect(try plain.extract("[\"password\"]").copyBytes() == Array("hunter2".utf8))
        #expect(try plain.extract("['nested']['deep']['x']").copyBytes() == Array("0123".utf8))
        #expect(try plain.extract("[\"list\"][1]").copyBytes() == Array("2\n".utf8))
        #expect(try plain.extract("[\"nested\"][\"deep\"]").copyBytes() == Array("x: \"0123\"\n".utf8))
        #expect(throws: SOPSError(.invalidArgument, "")) { try plain.extract("[\"missing\"]") }
        #expect(throws: SOPSError(.invalidArgument, "")) { try plain.extract("[\"list\"][9]") }
        #expect(throws: SOPSError(.invalidArgument, "")) { try plain.extract("password") }
    }

    @Test("identities come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE and the default keys.txt together")
    func identityDiscovery() throws {
        let a = try AgeIdentity.generate(), b = try AgeIdentity.generate(), c = try AgeIdentity.generate()
        func text(_ identity: AgeIdentity) -> String { String(decoding: identity.encoded().copyBytes(), as: UTF8.self) }
        let files = ["/keys/b.txt": "# comment\n\(text(b))\n", "/xdg/sops/age/keys.txt": text(c) + "\n"]
        let read: (String) throws(SOPSError) -> [UInt8]? = { path in files[path].map { Array($0.utf8) } }
        let found = try SOPSAgeIdentities.load(environment: [
            "SOPS_AGE_KEY": "\(text(a)) \(text(b))", "SOPS_AGE_KEY_FILE": "/keys/b.txt", "XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u",
        ], readFile: read)
        #expect(found.identities.map(\.recipient) == [a.recipient, b.recipient, b.recipient, c.recipient])
        #expect(SOPSAgeIdentities.defaultKeysPath(["HOME": "/home/u"]) == "/home/u/.config/sops/age/keys.txt")
        #expect(try SOPSAgeIdentities.load(environment: ["HOME": "/home/u"], readFile: read).identities.isEmpty)
        #expect(throws: SOPSError(.invalidArgument, "")) {
            try SOPSAgeIdentities.load(environment: ["SOPS_AGE_KEY_FILE": "/missing"], readFile: read)
        }
        do {
            _ = try SOPSAgeIdentities.load(environment: ["SOPS_AGE_KEY": "AGE-SECRET-KEY-1BROKEN"], readFile: read)
            Issue.record("accepted a broken key")
        } catch {
            #expect(!error.message.contains("BROKEN"))
        }
    }

    @Test("Go's float layouts", arguments: [
        (1.0, "1", "1", "1"), (1.5, "1.5", "1.5", "1.5"), (1_000_000.5, "1000000.5", "1.0000005e+06", "1000000.5"),
        (-0.0001, "-0.0001", "-0.0001", "-0.0001"), (0.00001, "0.00001", "1e-05", "0.00001"),
        (1e21, "1000000000000000000000", "1e+21", "1e+21"), (1e-7, "0.0000001", "1e-07", "1e-7"), (123456.0, "123456", "123456", "123456"),
    ])
    func goFloats(_ value: Double, _ f: String, _ g: String, _ json: String) {
        #expect(GoFormatting.formatF(value) == f)
        #expect(GoFormatting.formatG(value) == g)
        #expect(GoFormatting.formatJSON(value) == json)
    }
}
