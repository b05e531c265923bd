public import SealKitCrypto

/// age v1 file encryption (https://age-encryption.org/v1), on OpenSSL: X25519 and scrypt
/// recipients, the MAC'd header, the STREAM payload, binary or armored. Files it writes open
/// with `age -d`; files `age` writes open here (interop tests run both directions).
///
/// Everything happens in memory: decryption authenticates the whole payload before returning
/// anything, so a truncated or altered file yields an error and no plaintext.
public enum Age {
    static let fileKeyLength = 16
    static let x25519Label = Array("age-encryption.org/v1/X25519".utf8)
    static let scryptLabel = Array("age-encryption.org/v1/scrypt".utf8)
    /// age's default passphrase work factor (log2 N): about a second on a laptop.
    public static let defaultScryptWorkFactor = 18

    /// Who can decrypt: a recipient's public key, or a passphrase.
    public enum Recipient: Sendable {
        case x25519(AgeRecipient)
        /// scrypt with `workFactor` as log2 N. Must be the file's only recipient.
        case passphrase(SecretBytes, workFactor: Int = Age.defaultScryptWorkFactor)
    }

    /// What can open a file: identities, a passphrase, or both.
    public struct Identities: Sendable {
        public var x25519: [AgeIdentity]
        public var passphrase: SecretBytes?

        public init(_ x25519: [AgeIdentity] = [], passphrase: SecretBytes? = nil) {
            self.x25519 = x25519
            self.passphrase = passphrase
        }
    }

    // MARK: Encryption

    /// Encrypts `plaintext` to `recipients`.
    ///
    /// Runs scrypt when a passphrase is given (about a second at the default work factor):
    /// call it off the concurrency pool from async code.
    /// - Throws: ``AgeError`` `.invalidKey` for an empty list or a passphrase mixed with other
    ///   recipients (age forbids it), `.crypto` if OpenSSL fails.
    public static func encrypt(_ plaintext: SecretBytes, to recipients: [Recipient], armored: Bool) throws(AgeError) -> [UInt8] {
        let binary = try plaintext.withUnsafeBytes { (raw) throws(AgeError) in try encrypt(raw, to: recipients) }
        return armored ? AgeArmor.encode(binary) : binary
    }

    static func encrypt(_ plaintext: UnsafeRawBufferPointer, to recipients: [Recipient]) throws(AgeError) -> [UInt8] {
        guard !recipients.isEmpty else { throw AgeError(.invalidKey, "no age recipients given") }
        if recipients.contains(where: { if case .passphrase = $0 { true } else { false } }), recipients.count > 1 {
            throw AgeError(.invalidKey, "a passphrase must be the only age recipient")
        }
        let fileKey = SecretBytes(try random(fileKeyLength))
        var header = AgeHeader(stanzas: [])
        for recipient in recipients {
            switch recipient {
            case .x25519(let key): header.stanzas.append(try wrapX25519(fileKey, to: key))
            case .passphrase(let passphrase, let workFactor):
                header.stanzas.append(try wrapScrypt(fileKey, passphrase: passphrase, workFactor: workFactor))
            }
        }
        header.mac = try headerMAC(header, fileKey: fileKey)
        let nonce = try random(16)
        let payloadKey = try derive(fileKey, salt: nonce, info: Array("payload".utf8))
        return header.serialized() + nonce + (try AgeStream.seal(plaintext, key: payloadKey))
    }

    static func wrapX25519(_ fileKey: SecretBytes, to recipient: AgeRecipient) throws(AgeError) -> AgeStanza {
        do {
            let ephemeral = try X25519.PrivateKey()
            let share = ephemeral.publicKey
            let secret = try ephemeral.sharedSecret(with: recipient.publicKey)
            let wrapKey = try KDF.hkdfSHA256(key: secret, salt: share + recipient.publicKey, info: x25519Label, length: 32)
            let body = try fileKey.withUnsafeBytes { (raw) throws(CryptoError) in
                try AEAD.chaCha20Poly1305.seal(raw, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12))
            }
            return AgeStanza(type: "X25519", arguments: [RawBase64.encode(share)], body: body)
        } catch {
            throw AgeError(.crypto, "cannot encrypt to \(recipient): \(error.message)")
        }
    }

    static func wrapScrypt(_ fileKey: SecretBytes, passphrase: SecretBytes, workFactor: Int) throws(AgeError) -> AgeStanza {
        guard (1...KDF.maximumScryptLogN).contains(workFactor) else {
            throw AgeError(.invalidKey, "scrypt work factor must be 1...\(KDF.maximumScryptLogN)")
        }
        let salt = try random(16)
        do {
            let wrapKey = try KDF.scrypt(password: passphrase, salt: scryptLabel + salt, logN: workFactor, length: 32)
            let body = try fileKey.withUnsafeBytes { (raw) throws(CryptoError) in
                try AEAD.chaCha20Poly1305.seal(raw, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12))
            }
            return AgeStanza(type: "scrypt", arguments: [RawBase64.encode(salt), String(workFactor)], body: body)
        } catch {
            throw AgeError(.crypto, "cannot encrypt with a passphrase: \(error.message)")
        }
    }

    // MARK: Decryption

    /// Decrypts an age file, binary or armored (detected from the first non-blank bytes).
    ///
    /// Runs scrypt for a passphrase file (up to work factor 22, as age): call it off the
    /// concurrency pool from async code.
    /// - Throws: ``AgeError``: `.armor`/`.header` for malformed input, `.noMatch` when no
    ///   identity opens any stanza, `.headerMAC` for an altered header, `.payload` for an
    ///   altered or truncated body. Nothing is returned unless the whole file authenticates.
    public static func decrypt(_ file: [UInt8], with identities: Identities) throws(AgeError) -> SecretBytes {
        var chunks: [SecretBytes] = []
        try decrypt(file, armored: AgeArmor.looksArmored(file), with: identities) { chunks.append($0) }
        var total = 0
        for chunk in chunks { total += chunk.count }
        var output: [UInt8] = []
        output.reserveCapacity(total)
        for chunk in chunks { chunk.withUnsafeBytes { output.append(contentsOf: $0) } }
        return SecretBytes(output)
    }

    /// Decrypts chunk by chunk: `release` sees each authenticated 64 KiB chunk in order, before
    /// the rest of the payload is checked (the age test kit checks what is released before a
    /// failure). Callers that must not emit partial output should use ``decrypt(_:with:)``.
    static func decrypt(_ file: [UInt8], armored: Bool, with identities: Identities,
                        release: (SecretBytes) -> Void) throws(AgeError) {
        let binary = armored ? try AgeArmor.decode(file) : file
        let (header, payloadOffset) = try AgeHeader.parse(binary)
        let fileKey = try unwrap(header.stanzas, with: identities)
        guard HMAC.equal(try headerMAC(header, fileKey: fileKey), header.mac) else {
            throw AgeError(.headerMAC, "age header MAC does not match (the header was altered)")
        }
        guard binary.count - payloadOffset >= 16 else { throw AgeError(.header, "age file ends before the payload nonce") }
        let nonce = Array(binary[payloadOffset..<(payloadOffset + 16)])
        let payloadKey = try derive(fileKey, salt: nonce, info: Array("payload".utf8))
        let result: Result<Void, AgeError> = binary.withUnsafeBytes { raw in
            do throws(AgeError) {
                try AgeStream.open(UnsafeRawBufferPointer(rebasing: raw[(payloadOffset + 16)...]), key: payloadKey, release: release)
                return .success(())
            } catch { return .failure(error) }
        }
        try result.get()
    }

    static func unwrap(_ stanzas: [AgeStanza], with identities: Identities) throws(AgeError) -> SecretBytes {
        let scryptCount = stanzas.filter { $0.type == "scrypt" }.count
        if scryptCount > 0, stanzas.count != 1 {
            throw AgeError(.header, "malformed age header: an scrypt stanza must be the only one")
        }
        for identity in identities.x25519 {
            for stanza in stanzas where stanza.type == "X25519" {
                if let fileKey = try unwrapX25519(stanza, with: identity) { return fileKey }
            }
        }
        if let passphrase = identities.passphrase, let stanza = stanzas.first, stanza.type == "scrypt" {
            if let fileKey = try unwrapScrypt(stanza, passphrase: passphrase) { return fileKey }
        }
        if scryptCount > 0, identities.passphrase == nil {
            throw AgeError(.noMatch, "the age file is encrypted with a passphrase, and none was given")
        }
        throw AgeError(.noMatch, "no identity matched any of the age file's recipients")
    }

    /// nil when the stanza is not for this identity; throws when it is malformed.
    static func unwrapX25519(_ stanza: AgeStanza, with identity: AgeIdentity) throws(AgeError) -> SecretBytes? {
        guard stanza.arguments.count == 1, let share = RawBase64.decode(stanza.arguments[0].utf8), share.count == 32 else {
            throw AgeError(.header, "malformed X25519 stanza")
        }
        guard stanza.body.count == fileKeyLength + AEAD.tagLength else {
            throw AgeError(.header, "malformed X25519 stanza: the file key is not 16 bytes")
        }
        let secret: SecretBytes
        do {
            secret = try identity.privateKey.sharedSecret(with: share)
        } catch {
            throw AgeError(.header, "invalid X25519 stanza: \(error.message)")
        }
        let wrapKey: SecretBytes
        do {
            wrapKey = try KDF.hkdfSHA256(key: secret, salt: share + identity.recipient.publicKey, info: x25519Label, length: 32)
        } catch {
            throw AgeError(.crypto, error.message)
        }
        return AEAD.chaCha20Poly1305.open(stanza.body, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12))
    }

    static func unwrapScrypt(_ stanza: AgeStanza, passphrase: SecretBytes) throws(AgeError) -> SecretBytes? {
        guard stanza.arguments.count == 2, let salt = RawBase64.decode(stanza.arguments[0].utf8), salt.count == 16 else {
            throw AgeError(.header, "malformed scrypt stanza")
        }
        let factor = stanza.arguments[1]
        // Decimal without sign or leading zero, as age's ^[1-9][0-9]*$.
        guard let first = factor.utf8.first, first != UInt8(ascii: "0"), factor.utf8.count <= 2,
              factor.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let logN = Int(factor)
        else { throw AgeError(.header, "malformed scrypt stanza: bad work factor") }
        guard logN <= KDF.maximumScryptLogN else {
            throw AgeError(.header, "scrypt work factor \(logN) is too large (at most \(KDF.maximumScryptLogN))")
        }
        guard stanza.body.count == fileKeyLength + AEAD.tagLength else {
            throw AgeError(.header, "malformed scrypt stanza: the file key is not 16 bytes")
        }
        let wrapKey: SecretBytes
        do {
            wrapKey = try KDF.scrypt(password: passphrase, salt: scryptLabel + salt, logN: logN, length: 32)
        } catch {
            throw AgeError(.crypto, error.message)
        }
        return AEAD.chaCha20Poly1305.open(stanza.body, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12))
    }

    // MARK: Helpers

    static func headerMAC(_ header: AgeHeader, fileKey: SecretBytes) throws(AgeError) -> [UInt8] {
        let key = try derive(fileKey, salt: [], info: Array("header".utf8))
        do {
            return try HMAC.sha256(key: key, message: header.bytesWithoutMAC())
        } catch {
            throw AgeError(.crypto, error.message)
        }
    }

    static func derive(_ fileKey: SecretBytes, salt: [UInt8], info: [UInt8]) throws(AgeError) -> SecretBytes {
        do {
            return try KDF.hkdfSHA256(key: fileKey, salt: salt, info: info, length: 32)
        } catch {
            throw AgeError(.crypto, error.message)
        }
    }

    static func random(_ count: Int) throws(AgeError) -> [UInt8] {
        do {
            return try SecureRandom.bytes(count)
        } catch {
            throw AgeError(.crypto, error.message)
        }
    }
}
