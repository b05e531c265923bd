internal import COpenSSL

/// RSA-OAEP with SHA-256 as both the OAEP and the MGF1 hash, and a caller-chosen label: the
/// key-wrapping half of the Sealed Secrets format, where the label binds a value to its scope.
enum RSAOAEP {
    /// Takes the plaintext (a session key) as a borrowed buffer, so no unwiped copy of it is made.
    static func encrypt(_ plaintext: UnsafeRawBufferPointer, to key: EVPKey, label: [UInt8]) throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else {
            throw CryptoError(.encryptionFailed, "cannot create an RSA context: \(OpenSSLErrorQueue.drain())")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_encrypt_init(context) > 0, configure(context, label: label) else {
            throw CryptoError(.encryptionFailed, "cannot set up RSA-OAEP: \(OpenSSLErrorQueue.drain())")
        }
        var length = 0
        guard EVP_PKEY_encrypt(context, nil, &length, plaintext.baseAddress, plaintext.count) > 0 else {
            throw CryptoError(.encryptionFailed, "RSA-OAEP encryption failed: \(OpenSSLErrorQueue.drain())")
        }
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_encrypt(context, &output, &length, plaintext.baseAddress, plaintext.count) > 0 else {
            throw CryptoError(.encryptionFailed, "RSA-OAEP encryption failed: \(OpenSSLErrorQueue.drain())")
        }
        return Array(output.prefix(length))
    }

    /// Returns nil when this key (or label) does not open the ciphertext: callers try every key,
    /// so a mismatch is expected, not exceptional.
    static func decrypt(_ ciphertext: UnsafeRawBufferPointer, with key: EVPKey, label: [UInt8]) -> SecretBytes? {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_decrypt_init(context) > 0, configure(context, label: label) else { return nil }
        let input = ciphertext.bindMemory(to: UInt8.self)
        var length = 0
        guard EVP_PKEY_decrypt(context, nil, &length, input.baseAddress, input.count) > 0 else { return nil }
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_decrypt(context, &output, &length, input.baseAddress, input.count) > 0 else {
            output.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            return nil
        }
        if length < output.count {
            output.withUnsafeMutableBytes { raw in
                OPENSSL_cleanse(raw.baseAddress! + length, raw.count - length)
            }
            output.removeLast(output.count - length)
        }
        return SecretBytes(output)
    }

    private static func configure(_ context: OpaquePointer, label: [UInt8]) -> Bool {
        guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_OAEP_PADDING) > 0,
              EVP_PKEY_CTX_set_rsa_oaep_md(context, Algorithms.shared.sha256) > 0,
              EVP_PKEY_CTX_set_rsa_mgf1_md(context, Algorithms.shared.sha256) > 0
        else { return false }
        // An absent label is the empty label; only a non-empty one needs setting.
        guard !label.isEmpty else { return true }
        // set0 takes ownership of an OPENSSL_malloc'd copy; free it ourselves only on failure.
        guard let copy = sealkit_openssl_malloc(label.count) else { return false }
        label.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        guard EVP_PKEY_CTX_set0_rsa_oaep_label(context, copy, Int32(label.count)) > 0 else {
            sealkit_openssl_free(copy)
            return false
        }
        return true
    }
}
