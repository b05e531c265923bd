internal import COpenSSL

/// AES-256-GCM with the all-zero 96-bit nonce, as the Sealed Secrets format fixes it. That nonce
/// is safe only because every value gets a fresh random key that is never reused.
enum AESGCM {
    static let keyLength = 32
    static let tagLength = 16
    private static let nonce = [UInt8](repeating: 0, count: 12)

    /// The cipher context owner for one operation.
    private final class Context {
        let pointer: OpaquePointer
        init?() {
            guard let pointer = EVP_CIPHER_CTX_new() else { return nil }
            self.pointer = pointer
        }
        deinit { EVP_CIPHER_CTX_free(pointer) }
    }

    /// Returns `ciphertext ‖ tag`.
    static func seal(_ plaintext: UnsafeRawBufferPointer, key: SecretBytes) throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        guard plaintext.count <= Int(Int32.max) - 64, let context = Context() else {
            throw CryptoError(.encryptionFailed, "AES-GCM: value too large or out of memory")
        }
        var output = [UInt8](repeating: 0, count: plaintext.count + tagLength)
        let ok = key.withUnsafeBytes { keyBytes -> Bool in
            guard EVP_EncryptInit_ex(context.pointer, Algorithms.shared.aes256GCM, nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_IVLEN, Int32(nonce.count), nil) == 1,
                  EVP_EncryptInit_ex(context.pointer, nil, nil, keyBytes.bindMemory(to: UInt8.self).baseAddress, nonce) == 1
            else { return false }
            return output.withUnsafeMutableBufferPointer { out -> Bool in
                var written: Int32 = 0
                if plaintext.count > 0 {
                    guard EVP_EncryptUpdate(context.pointer, out.baseAddress, &written,
                                            plaintext.bindMemory(to: UInt8.self).baseAddress, Int32(plaintext.count)) == 1
                    else { return false }
                }
                var finalWritten: Int32 = 0
                guard EVP_EncryptFinal_ex(context.pointer, out.baseAddress! + Int(written), &finalWritten) == 1,
                      Int(written + finalWritten) == plaintext.count
                else { return false }
                return EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_GET_TAG, Int32(tagLength),
                                           out.baseAddress! + plaintext.count) == 1
            }
        }
        guard ok else { throw CryptoError(.encryptionFailed, "AES-GCM encryption failed: \(OpenSSLErrorQueue.drain())") }
        return output
    }

    /// Opens `ciphertext ‖ tag`; nil when the tag does not verify (tampering or wrong key).
    static func open(_ sealed: UnsafeRawBufferPointer, key: SecretBytes) -> SecretBytes? {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard key.count == keyLength, sealed.count >= tagLength, sealed.count <= Int(Int32.max),
              let context = Context()
        else { return nil }
        let bodyLength = sealed.count - tagLength
        let input = sealed.bindMemory(to: UInt8.self)
        // Room for the body plus one block, so the buffer is never empty and Final has space.
        var output = [UInt8](repeating: 0, count: bodyLength + tagLength)
        var tag = Array(input[bodyLength...])
        let ok = key.withUnsafeBytes { keyBytes -> Bool in
            guard EVP_DecryptInit_ex(context.pointer, Algorithms.shared.aes256GCM, nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_IVLEN, Int32(nonce.count), nil) == 1,
                  EVP_DecryptInit_ex(context.pointer, nil, nil, keyBytes.bindMemory(to: UInt8.self).baseAddress, nonce) == 1
            else { return false }
            return output.withUnsafeMutableBufferPointer { out -> Bool in
                var written: Int32 = 0
                if bodyLength > 0 {
                    guard EVP_DecryptUpdate(context.pointer, out.baseAddress, &written, input.baseAddress, Int32(bodyLength)) == 1
                    else { return false }
                }
                guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_GCM_SET_TAG, Int32(tagLength), &tag) == 1 else { return false }
                var finalWritten: Int32 = 0
                // Returns 0 on a tag mismatch, with nothing on the error queue.
                return EVP_DecryptFinal_ex(context.pointer, out.baseAddress! + Int(written), &finalWritten) == 1
            }
        }
        guard ok else {
            output.withUnsafeMutableBytes { if let base = $0.baseAddress { OPENSSL_cleanse(base, $0.count) } }
            return nil
        }
        output.withUnsafeMutableBytes { raw in
            OPENSSL_cleanse(raw.baseAddress! + bodyLength, raw.count - bodyLength)
        }
        output.removeLast(tagLength)
        return SecretBytes(output)
    }
}
