internal import COpenSSL

/// An RSA private key: what the controller keeps in `tls.key` and what `--recovery-unseal`
/// needs. The key material stays inside OpenSSL; PEM export is explicit and meant for files
/// written `0600`.
public struct PrivateKey: Sendable {
    let key: EVPKey

    /// Smallest modulus accepted anywhere in SealKit. Bitnami generates 4096-bit keys; 2048 is
    /// the floor that still meets current guidance (NIST SP 800-57, 112-bit security).
    public static let minimumBits = 2048

    init(_ key: EVPKey) { self.key = key }

    /// Generates a fresh RSA key. 4096 bits takes seconds: call it off any latency-sensitive path.
    /// - Throws: `CryptoError.keyTooSmall` below ``minimumBits``, `.keyGenerationFailed` if OpenSSL fails.
    public static func generateRSA(bits: Int = 4096) throws(CryptoError) -> PrivateKey {
        guard bits >= minimumBits, bits <= 16384 else {
            throw CryptoError(.keyTooSmall, "RSA key size \(bits) is not allowed (use \(minimumBits) to 16384 bits)")
        }
        OpenSSLErrorQueue.clear()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw CryptoError(.keyGenerationFailed, "cannot create RSA key context: \(OpenSSLErrorQueue.drain())")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var generated: OpaquePointer? = nil
        guard EVP_PKEY_keygen_init(context) > 0,
              EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) > 0,
              EVP_PKEY_generate(context, &generated) > 0,
              let generated
        else {
            throw CryptoError(.keyGenerationFailed, "RSA key generation failed: \(OpenSSLErrorQueue.drain())")
        }
        return PrivateKey(EVPKey(taking: generated))
    }

    /// Reads a PEM private key: PKCS#1 (`RSA PRIVATE KEY`, as key Secrets hold it) or PKCS#8
    /// (`PRIVATE KEY`). Encrypted PEM is refused rather than prompting for a passphrase.
    /// - Throws: `.invalidPrivateKey`, `.unsupportedKeyType` (not RSA), `.keyTooSmall`.
    public init(pem: [UInt8]) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        let parsed = pem.withUnsafeBytes { raw in
            MemoryBIO.reading(raw) { bio in PEM_read_bio_PrivateKey(bio, nil, sealkit_refuse_password, nil) }
        }
        try self.init(parsed: parsed ?? nil)
    }

    /// Reads a PEM private key held as a secret (a key Secret's decoded `tls.key`) in place,
    /// so the PEM is never copied into a buffer nobody wipes.
    public init(pem: SecretBytes) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        let parsed = pem.withUnsafeBytes { raw in
            MemoryBIO.reading(raw) { bio in PEM_read_bio_PrivateKey(bio, nil, sealkit_refuse_password, nil) }
        }
        try self.init(parsed: parsed ?? nil)
    }

    /// Takes ownership of what `PEM_read_bio_PrivateKey` returned, if anything.
    private init(parsed: OpaquePointer?) throws(CryptoError) {
        guard let parsed else {
            let reason = OpenSSLErrorQueue.drain()
            throw CryptoError(.invalidPrivateKey, "not a PEM private key (\(reason))")
        }
        let key = EVPKey(taking: parsed)
        guard key.isRSA else {
            throw CryptoError(.unsupportedKeyType, "the private key is not an RSA key")
        }
        guard key.bits >= Self.minimumBits else {
            throw CryptoError(.keyTooSmall, "the RSA private key has \(key.bits) bits; at least \(Self.minimumBits) are required")
        }
        self.key = key
    }

    public init(pem: String) throws(CryptoError) {
        try self.init(pem: Array(pem.utf8))
    }

    /// PEM `RSA PRIVATE KEY` (PKCS#1), byte-compatible with what Bitnami's controller stores.
    public func pkcs1PEM() -> SecretBytes {
        let bytes = MemoryBIO.writing { bio in
            PEM_write_bio_PrivateKey_traditional(bio, key.pointer, nil, nil, 0, nil, nil) == 1
        } ?? []
        return SecretBytes(bytes)
    }

    /// PEM `PRIVATE KEY` (PKCS#8).
    public func pkcs8PEM() -> SecretBytes {
        let bytes = MemoryBIO.writing { bio in
            PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil) == 1
        } ?? []
        return SecretBytes(bytes)
    }

    public var publicKey: PublicKey {
        // Extracting the public half only fails on allocation failure; fall back to sharing
        // the pair, which is still correct for every public-key operation.
        PublicKey(key.publicOnly() ?? key)
    }

    public var bits: Int { key.bits }
}
