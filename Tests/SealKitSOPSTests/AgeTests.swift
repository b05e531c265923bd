import Foundation
import Testing
@testable import SealKit
@testable import SealKitSOPS

@Suite("age format")
struct AgeTests {
    /// The test kit's X25519 identity and its recipient, as `age-keygen -y` prints it.
    static let identityText = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0"

    @Test("bech32 keys round-trip, and a changed character fails the checksum")
    func bech32() throws {
        let identity = try AgeIdentity(parsing: Self.identityText)
        let encoded = String(decoding: identity.encoded().copyBytes(), as: UTF8.self)
        #expect(encoded == Self.identityText)
        let recipient = identity.recipient.description
        #expect(recipient.hasPrefix("age1") && recipient.count == 62)
        #expect(try AgeRecipient(parsing: recipient) == identity.recipient)
        #expect(try AgeRecipient(parsing: recipient.uppercased()) == identity.recipient)
        var broken = Array(recipient)
        broken[10] = broken[10] == "q" ? "p" : "q"
        #expect(throws: AgeError(.invalidKey, "")) { try AgeRecipient(parsing: String(broken)) }
        #expect(throws: AgeError(.invalidKey, "")) { try AgeRecipient(parsing: "age1" + recipient.dropFirst(4).lowercased().capitalized) }
        #expect(throws: AgeError(.invalidKey, "")) { try AgeIdentity(parsing: recipient) }
        #expect(!"\(identity)".contains("AGE-SECRET"))
    }

    @Test("round trips: sizes around chunk boundaries, binary and armored, several recipients",
          arguments: [0, 1, 65535, 65536, 65537, 131072, 257 * 65536 + 3])
    func roundTrip(size: Int) async throws {
        // 16 MiB through a debug build takes many seconds: done on a thread of its own, so it
        // does not hold one of the cooperative pool's threads, on which the in-process API
        // servers of other suites answer (holding both starved them into read timeouts).
        let failures = try await Self.offPool { () throws -> [String] in
            let a = try AgeIdentity.generate(), b = try AgeIdentity.generate(), stranger = try AgeIdentity.generate()
            var plaintext = [UInt8](repeating: 0, count: size)
            for index in plaintext.indices { plaintext[index] = UInt8(truncatingIfNeeded: index &* 31 &+ index >> 8) }
            var failures: [String] = []
            for armored in [false, true] {
                let file = try Age.encrypt(SecretBytes(plaintext), to: [.x25519(a.recipient), .x25519(b.recipient)], armored: armored)
                if AgeArmor.looksArmored(file) != armored { failures.append("armor \(armored)") }
                if try Age.decrypt(file, with: Age.Identities([b])).copyBytes() != plaintext { failures.append("b, armored \(armored)") }
                if try Age.decrypt(file, with: Age.Identities([stranger, a])).copyBytes() != plaintext { failures.append("a, armored \(armored)") }
                do {
                    _ = try Age.decrypt(file, with: Age.Identities([stranger]))
                    failures.append("a stranger opened it, armored \(armored)")
                } catch let error as AgeError where error == AgeError(.noMatch, "") {
                } catch {
                    failures.append("stranger: \(error)")
                }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Runs `body` on a new thread and returns its result.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    @Test("every flipped byte of a small file is detected in the stage it belongs to")
    func tampering() throws {
        let identity = try AgeIdentity.generate()
        let file = try Age.encrypt(SecretBytes(utf8: "attack at dawn"), to: [.x25519(identity.recipient)], armored: false)
        let (_, payloadOffset) = try AgeHeader.parse(file)
        for index in file.indices {
            var altered = file
            altered[index] ^= 0x01
            do {
                _ = try Age.decrypt(altered, with: Age.Identities([identity]))
                Issue.record("byte \(index) altered without detection")
            } catch {
                if index >= payloadOffset + 16 { #expect(error.code == .payload, "byte \(index)") }
                else if index >= payloadOffset { #expect(error.code == .payload, "nonce byte \(index)") }
            }
        }
        #expect(throws: AgeError(.payload, "")) { try Age.decrypt(Array(file.dropLast()), with: Age.Identities([identity])) }
        #expect(throws: AgeError(.payload, "")) { try Age.decrypt(file + [0], with: Age.Identities([identity])) }
    }

    @Test("passphrase files round-trip; a wrong passphrase is no match; scrypt must be alone")
    func passphrase() throws {
        let file = try Age.encrypt(SecretBytes(utf8: "hello"), to: [.passphrase(SecretBytes(utf8: "correct horse"), workFactor: 10)], armored: true)
        #expect(try Age.decrypt(file, with: Age.Identities(passphrase: SecretBytes(utf8: "correct horse"))).copyBytes() == Array("hello".utf8))
        #expect(throws: AgeError(.noMatch, "")) { try Age.decrypt(file, with: Age.Identities(passphrase: SecretBytes(utf8: "wrong"))) }
        #expect(throws: AgeError(.noMatch, "")) { try Age.decrypt(file, with: Age.Identities([try AgeIdentity.generate()])) }
        let identity = try AgeIdentity.generate()
        #expect(throws: AgeError(.invalidKey, "")) {
            try Age.encrypt(SecretBytes(utf8: "x"), to: [.passphrase(SecretBytes(utf8: "p")), .x25519(identity.recipient)], armored: false)
        }
    }

    @Test("identity files: comments and blank lines skipped, errors name the line but not the key")
    func identityFile() throws {
        let text = "# created: 2024-01-01T00:00:00Z\n# public key: age1…\n\n\(Self.identityText)\r\n"
        let identities = try AgeIdentityFile.parse(Array(text.utf8), source: "keys.txt")
        #expect(identities.count == 1)
        let broken = "# comment\nAGE-SECRET-KEY-1NOTAKEY\n"
        do {
            _ = try AgeIdentityFile.parse(Array(broken.utf8), source: "keys.txt")
            Issue.record("parsed a broken identity")
        } catch {
            #expect(error.message.hasPrefix("keys.txt: line 2:"))
            #expect(!error.message.contains("NOTAKEY"))
        }
        let rendered = String(decoding: AgeIdentityFile.render(identities[0], created: "2024-01-01T00:00:00Z").copyBytes(), as: UTF8.self)
        #expect(rendered == "# created: 2024-01-01T00:00:00Z\n# public key: \(identities[0].recipient)\n\(Self.identityText)\n")
    }
}
