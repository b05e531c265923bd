import Testing
@testable import SealKit
@testable import SealKitCrypto

/// Every value in Bitnami's reference vectors: positives must open to their plaintext under
/// the recorded scope, negatives must fail with a one-line error that leaks nothing.
@Suite("Reference vectors: single values")
struct HybridCipherVectorTests {
    static let positives = Fixtures.cases.filter { $0.expect == "ok" }
    static let negatives = Fixtures.cases.filter { $0.expect == "error" }

    @Test("the vector set is complete") func vectorCounts() {
        #expect(Fixtures.cases.count == 67)
        #expect(Self.positives.count + Self.negatives.count == Fixtures.cases.count)
        #expect(Self.negatives.count >= 20)
    }

    @Test("labels follow the scope rule", arguments: Fixtures.cases)
    func label(_ vector: Fixtures.Case) {
        #expect(vector.sealingScope.label(namespace: vector.namespace, name: vector.name) == Array(vector.label.utf8))
    }

    @Test("positive vectors decrypt", arguments: positives)
    func decrypts(_ vector: Fixtures.Case) throws {
        let ciphertext = try Base64.decode(vector.ciphertext_base64)
        let plaintext = try HybridCipher.open(ciphertext, with: [Fixtures.otherPrivateKey, Fixtures.privateKey], label: Array(vector.label.utf8))
        #expect(plaintext == SecretBytes(vector.plaintext))
    }

    @Test("negative vectors fail with one line and no plaintext", arguments: negatives)
    func rejects(_ vector: Fixtures.Case) {
        let plaintext = String(decoding: vector.plaintext, as: UTF8.self)
        var message = ""
        do {
            let ciphertext = try Base64.decode(vector.ciphertext_base64)
            _ = try HybridCipher.open(ciphertext, with: [Fixtures.privateKey], label: Array(vector.label.utf8))
            Issue.record("\(vector.id) decrypted but must not")
        } catch let error as Base64.DecodingError {
            message = error.description
        } catch let error as CryptoError {
            message = error.description
            #expect([.noKeyCouldDecrypt, .ciphertextTooShort].contains(error.code))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(!message.isEmpty)
        #expect(!message.contains("\n"))
        #expect(!message.contains(plaintext))
    }

    /// The KAT vectors fix the AES session key: decrypting must recover exactly that key, and
    /// AES-GCM of the plaintext under it must reproduce the recorded symmetric part byte for byte.
    @Test("known-answer vectors reproduce the symmetric half", arguments: Fixtures.cases.filter { $0.kind == "kat" })
    func knownAnswer(_ vector: Fixtures.Case) throws {
        let rng = try #require(vector.rng_hex.map(hexBytes))
        let sessionKey = SecretBytes(Array(rng.prefix(32)))
        let ciphertext = try Base64.decode(vector.ciphertext_base64)
        let wrappedLength = Int(ciphertext[0]) << 8 | Int(ciphertext[1])
        #expect(wrappedLength == 512)
        let recovered = ciphertext.withUnsafeBytes {
            RSAOAEP.decrypt(UnsafeRawBufferPointer(rebasing: $0[2 ..< 2 + wrappedLength]), with: Fixtures.privateKey.key,
                            label: Array(vector.label.utf8))
        }
        #expect(recovered == sessionKey)
        let body = try vector.plaintext.withUnsafeBytes { try AESGCM.seal($0, key: sessionKey) }
        #expect(body == Array(ciphertext[(2 + wrappedLength)...]))
    }

    @Test("sealing round-trips in every scope", arguments: SealingScope.allCases)
    func roundTrip(_ scope: SealingScope) throws {
        let label = scope.label(namespace: "team-a", name: "api-token")
        for plaintext in [[], Array("hunter2".utf8), [UInt8](repeating: 0xA5, count: 70_000)] {
            let sealed = try HybridCipher.seal(SecretBytes(plaintext), to: Fixtures.certificate.publicKey, label: label)
            #expect(sealed.count == 2 + 512 + plaintext.count + 16)
            #expect(Base64.encode(sealed).hasPrefix("Ag"))
            #expect(try HybridCipher.open(sealed, with: [Fixtures.privateKey], label: label) == SecretBytes(plaintext))
            // Two seals of one value differ: every value gets a fresh key.
            let again = try HybridCipher.seal(SecretBytes(plaintext), to: Fixtures.certificate.publicKey, label: label)
            #expect(again != sealed)
        }
    }

    @Test("a value sealed for one scope does not open in another")
    func scopeBinding() throws {
        let sealed = try HybridCipher.seal(SecretBytes(utf8: "x"), to: Fixtures.certificate.publicKey,
                                           label: SealingScope.strict.label(namespace: "a", name: "b"))
        for label in [SealingScope.strict.label(namespace: "a", name: "c"), SealingScope.namespaceWide.label(namespace: "a", name: "b"), []] {
            #expect(throws: CryptoError(.noKeyCouldDecrypt, "")) {
                try HybridCipher.open(sealed, with: [Fixtures.privateKey], label: label)
            }
        }
    }

    @Test("the public key fingerprint matches the reference")
    func fingerprint() {
        #expect(Fixtures.certificate.publicKey.fingerprint == "SHA256:Efm+uTBTnAB4fwRN9AKInuPCqRlEo6X+RWf6FcrDhpI")
        #expect(Fixtures.privateKey.publicKey == Fixtures.certificate.publicKey)
        #expect(Fixtures.otherPrivateKey.publicKey != Fixtures.certificate.publicKey)
    }

    private func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index ..< next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
