/// The Sealed Secrets value format (DESIGN 1.1):
/// `uint16_be(len(R)) ‖ R ‖ AES-256-GCM(k, zero nonce)(value)`, where `R` is the fresh 32-byte
/// key `k` wrapped with RSA-OAEP-SHA256 under the scope label. Compatible byte for byte with
/// Bitnami's `HybridEncrypt` / `HybridDecrypt`.
public enum HybridCipher {
    /// Seals one value. A new AES key is drawn for every call; it is wiped before returning.
    public static func seal(_ plaintext: SecretBytes, to key: PublicKey, label: [UInt8]) throws(CryptoError) -> [UInt8] {
        let sessionKey = SecretBytes(try SecureRandom.bytes(AESGCM.keyLength))
        let wrappedKey = try sessionKey.withUnsafeBytes { raw throws(CryptoError) in
            try RSAOAEP.encrypt(raw, to: key.key, label: label)
        }
        guard wrappedKey.count <= Int(UInt16.max) else {
            throw CryptoError(.encryptionFailed, "RSA ciphertext too long for the length prefix")
        }
        let body = try plaintext.withUnsafeBytes { raw throws(CryptoError) in
            try AESGCM.seal(raw, key: sessionKey)
        }
        var output: [UInt8] = []
        output.reserveCapacity(2 + wrappedKey.count + body.count)
        output.append(UInt8(wrappedKey.count >> 8))
        output.append(UInt8(wrappedKey.count & 0xFF))
        output.append(contentsOf: wrappedKey)
        output.append(contentsOf: body)
        return output
    }

    /// Opens one value, trying each private key in turn (the format carries no key id).
    /// - Throws: `.ciphertextTooShort` when the framing is cut, `.noKeyCouldDecrypt` otherwise.
    public static func open(_ ciphertext: [UInt8], with keys: [PrivateKey], label: [UInt8]) throws(CryptoError) -> SecretBytes {
        try openIdentifyingKey(ciphertext, with: keys, label: label).plaintext
    }

    /// Opens one value and says which of `keys` opened it (key rotation needs to know).
    public static func openIdentifyingKey(_ ciphertext: [UInt8], with keys: [PrivateKey], label: [UInt8])
        throws(CryptoError) -> (plaintext: SecretBytes, keyIndex: Int)
    {
        var attempts = 0
        return try open(ciphertext, with: keys, label: label, tryingFirst: [], attempts: &attempts)
    }

    /// Opens one value, trying the keys at `preferred` (indices into `keys`) first and the
    /// others after, in order. A key whose modulus is shorter than the wrapped key cannot have
    /// made it (an RSA ciphertext is a number below the modulus; shorter ones are accepted, as
    /// Go accepts them with leading zeros stripped), so it is skipped without a private-key
    /// operation.
    /// - Parameter attempts: increased by the number of RSA private operations performed.
    /// - Throws: `.ciphertextTooShort` when the framing is cut, `.noKeyCouldDecrypt` otherwise.
    public static func open(_ ciphertext: [UInt8], with keys: [PrivateKey], label: [UInt8], tryingFirst preferred: [Int],
                            attempts: inout Int) throws(CryptoError) -> (plaintext: SecretBytes, keyIndex: Int)
    {
        guard ciphertext.count >= 2 else {
            throw CryptoError(.ciphertextTooShort, "ciphertext is too short")
        }
        let wrappedLength = Int(ciphertext[0]) << 8 | Int(ciphertext[1])
        guard ciphertext.count >= 2 + wrappedLength else {
            throw CryptoError(.ciphertextTooShort, "ciphertext is too short for its length prefix")
        }
        var order: [Int] = []
        var included = Set<Int>()
        for index in preferred + Array(keys.indices) where keys.indices.contains(index) && included.insert(index).inserted {
            order.append(index)
        }
        var operations = 0
        let opened: (SecretBytes, Int)? = ciphertext.withUnsafeBytes { raw in
            let wrapped = UnsafeRawBufferPointer(rebasing: raw[2 ..< 2 + wrappedLength])
            let body = UnsafeRawBufferPointer(rebasing: raw[(2 + wrappedLength)...])
            for index in order where (keys[index].bits + 7) / 8 >= wrappedLength {
                operations += 1
                guard let sessionKey = RSAOAEP.decrypt(wrapped, with: keys[index].key, label: label),
                      sessionKey.count == AESGCM.keyLength
                else { continue }
                if let plaintext = AESGCM.open(body, key: sessionKey) { return (plaintext, index) }
            }
            return nil
        }
        attempts += operations
        guard let opened else {
            throw CryptoError(.noKeyCouldDecrypt, "no key could decrypt secret")
        }
        return (opened.0, opened.1)
    }
}
