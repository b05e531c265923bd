import Foundation
import Testing
@testable import SealKit
@testable import SealKitSOPS

@Suite("SOPS encryption and .sops.yaml")
struct SOPSEncryptTests {
    @Test("encrypt then decrypt gives sops's plaintext layout back, for every format and rule",
          arguments: ["plain.yaml", "plain.json", "plain.env", "plain.ini", "plain.bin"])
    func roundTrip(_ name: String) throws {
        let identity = try AgeIdentity.generate()
        let plain = try SOPSDecryptTests.bytes(name)
        let format = SOPSFormat.from(path: name)
        var options = SOPSEncryptionOptions(recipients: [identity.recipient])
        if format == .yaml { options.encryptedRegex = "^(password|x)$" }
        let encrypted = try SOPSEncryptor.encrypt(SecretBytes(plain), format: format, source: name, options: options,
                                                  lastModified: "2024-05-06T07:08:09Z")
        let text = String(decoding: encrypted, as: UTF8.self)
        #expect(text.contains("ENC[AES256_GCM,data:"))
        #expect(!text.contains("hunter2"))
        let decrypted = try SOPSFile(encrypted, format: format, source: name).decrypt(with: [identity]).emit().copyBytes()
        // What sops printed for its own encryption of the same plaintext.
        let expected = try SOPSDecryptTests.bytes("expected" + name.dropFirst("plain".count))
        #expect(decrypted == expected)
        if format == .yaml {
            #expect(text.contains("name: demo"), "encrypted_regex leaves other keys in clear")
            #expect(text.contains("encrypted_regex: ^(password|x)$"))
        }
    }

    @Test("path_regex is matched relative to the config's directory; first match wins; age as list or commas")
    func creationRules() throws {
        let a = try AgeIdentity.generate().recipient, b = try AgeIdentity.generate().recipient
        let config = """
            creation_rules:
              - path_regex: ^prod/.*\\.yaml$
                age: "\(a), \(b)"
                unencrypted_regex: ^metadata$
                mac_only_encrypted: true
              - path_regex: \\.env$
                age: [\(b)]
              - age: \(a)
            """
        func options(_ path: String) throws -> SOPSEncryptionOptions? {
            try SOPSConfig.options(config: Array(config.utf8), configPath: "/repo/.sops.yaml", filePath: path)
        }
        let prod = try #require(try options("/repo/prod/db.yaml"))
        #expect(prod.recipients == [a, b])
        #expect(prod.unencryptedRegex == "^metadata$")
        #expect(prod.macOnlyEncrypted)
        #expect(try options("/repo/dev/app.env")?.recipients == [b])
        #expect(try options("/elsewhere/prod/db.yaml")?.recipients == [a], "outside the config's directory the path stays absolute")
        #expect(try options("/repo/readme.txt")?.recipients == [a])
        let kms = "creation_rules:\n  - kms: arn:aws:kms:us-east-1:1:key/x\n"
        #expect(throws: SOPSError(.unsupported, "")) {
            try SOPSConfig.options(config: Array(kms.utf8), configPath: "/r/.sops.yaml", filePath: "/r/a.yaml")
        }
        let none = "creation_rules:\n  - path_regex: ^x$\n    age: \(a)\n"
        #expect(throws: SOPSError(.invalidArgument, "")) {
            try SOPSConfig.options(config: Array(none.utf8), configPath: "/r/.sops.yaml", filePath: "/r/a.yaml")
        }
        #expect(SOPSConfig.find(from: "/repo/prod/x") { $0 == "/repo/.sops.yaml" } == "/repo/.sops.yaml")
        #expect(SOPSConfig.find(from: "/repo") { _ in false } == nil)
    }
}
