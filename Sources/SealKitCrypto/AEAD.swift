internal import COpenSSL

/// Authenticated encryption with associated data through OpenSSL's `EVP_CIPHER`, with the
/// caller's nonce and additional data: ChaCha20-Poly1305 for age (its stanzas and STREAM
/// chunks) and AES-256-GCM with SOPS's 32-byte nonces and path-as-AAD. Both take a 32-byte
/// key and produce a 16-byte tag appended to the ciphertext.
///
/// The nonce is the caller's responsibility: reusing one under the same key breaks both
/// ciphers. age derives a fresh key per file; SOPS draws a random 32-byte nonce per value.
package enum AEAD: Sendable {
    case chaCha20Poly1305
    case aes256GCM

    package static let keyLength = 32
    package static let tagLength = 16

    private var name: StaticString {
        switch self {
        case .chaCha20Poly1305: "ChaCha20-Poly1305"
        case .aes256GCM: "AES-256-GCM"
        }
    }

    /// The single owner of one `EVP_CIPHER_CTX` and the cipher fetched for it.
    private final class Context {
        let cipher: OpaquePointer
        let pointer: OpaquePointer

        init(_ name: StaticString) throws(CryptoError) {
            let cName = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
            guard let cipher = EVP_CIPHER_fetch(nil, cName, nil) else {
                throw CryptoError(.encryptionFailed, "OpenSSL has no \(name): \(OpenSSLErrorQueue.drain())")
            }
            guard let pointer = EVP_CIPHER_CTX_new() else {
                EVP_CIPHER_free(cipher)
                throw CryptoError(.encryptionFailed, "cannot create a cipher context: \(OpenSSLErrorQueue.drain())")
            }
            self.cipher = cipher
            self.pointer = pointer
        }

        deinit {
            EVP_CIPHER_CTX_free(pointer)
            EVP_CIPHER_free(cipher)
        }
    }

    /// Returns `ciphertext ‖ tag`.
    package func seal(_ plaintext: UnsafeRawBufferPointer, key: SecretBytes, nonce: [UInt8], aad: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        guard key.count == Self.keyLength, !nonce.isEmpty, plaintext.count <= Int(Int32.max) - 64, aad.count <= Int(Int32.max) else {
            throw CryptoError(.encryptionFailed, "\(name): bad key or nonce length, or input too large")
        }
        let context = try Context(name)
        var output = [UInt8](repeating: 0, count: plaintext.count + Self.tagLength)
        let ok = key.withUnsafeBytes { keyBytes -> Bool in
            guard EVP_EncryptInit_ex(context.pointer, context.cipher, nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
                  EVP_EncryptInit_ex(context.pointer, nil, nil, keyBytes.bindMemory(to: UInt8.self).baseAddress, nonce) == 1
            else { return false }
            var written: Int32 = 0
            if !aad.isEmpty {
                guard EVP_EncryptUpdate(context.pointer, nil, &written, aad, Int32(aad.count)) == 1 else { return false }
            }
            return output.withUnsafeMutableBufferPointer { out -> Bool in
                written = 0
                if plaintext.count > 0 {
                    guard EVP_EncryptUpdate(context.pointer, out.baseAddress, &written,
                                            plaintext.bindMemory(to: UInt8.self).baseAddress, Int32(plaintext.count)) == 1
                    else { return false }
                }
                var finalWritten: Int32 = 0
                guard EVP_EncryptFinal_ex(context.pointer, out.baseAddress! + Int(written), &finalWritten) == 1,
                      Int(written + finalWritten) == plaintext.count
                else { return false }
                return EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_GET_TAG, Int32(Self.tagLength),
                                           out.baseAddress! + plaintext.count) == 1
            }
        }
        guard ok else { throw CryptoError(.encryptionFailed, "\(name) encryption failed: \(OpenSSLErrorQueue.drain())") }
        return output
    }

    package func seal(_ plaintext: [UInt8], key: SecretBytes, nonce: [UInt8], aad: [UInt8] = []) throws(CryptoError) -> [UInt8] {
        let result: Result<[UInt8], CryptoError> = plaintext.withUnsafeBytes { raw in
            do throws(CryptoError) { return .success(try seal(raw, key: key, nonce: nonce, aad: aad)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Opens `ciphertext ‖ tag`; nil when the tag does not verify (tampering, wrong key, wrong
    /// nonce or AAD). Nothing of an unauthenticated plaintext is returned or left in memory.
    package func open(_ sealed: UnsafeRawBufferPointer, key: SecretBytes, nonce: [UInt8], aad: [UInt8] = []) -> SecretBytes? {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard key.count == Self.keyLength, !nonce.isEmpty, sealed.count >= Self.tagLength, sealed.count <= Int(Int32.max),
              aad.count <= Int(Int32.max), let context = try? Context(name)
        else { return nil }
        let bodyLength = sealed.count - Self.tagLength
        let input = sealed.bindMemory(to: UInt8.self)
        // Room for the body plus the tag length, so the buffer is never empty and Final has space.
        var output = [UInt8](repeating: 0, count: bodyLength + Self.tagLength)
        var tag = Array(input[bodyLength...])
        let ok = key.withUnsafeBytes { keyBytes -> Bool in
            guard EVP_DecryptInit_ex(context.pointer, context.cipher, nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
                  EVP_DecryptInit_ex(context.pointer, nil, nil, keyBytes.bindMemory(to: UInt8.self).baseAddress, nonce) == 1
            else { return false }
            var written: Int32 = 0
            if !aad.isEmpty {
                guard EVP_DecryptUpdate(context.pointer, nil, &written, aad, Int32(aad.count)) == 1 else { return false }
            }
            return output.withUnsafeMutableBufferPointer { out -> Bool in
                written = 0
                if bodyLength > 0 {
                    guard EVP_DecryptUpdate(context.pointer, out.baseAddress, &written, input.baseAddress, Int32(bodyLength)) == 1
                    else { return false }
                }
                guard EVP_CIPHER_CTX_ctrl(context.pointer, EVP_CTRL_AEAD_SET_TAG, Int32(Self.tagLength), &tag) == 1 else { return false }
                var finalWritten: Int32 = 0
                // Returns 0 on a tag mismatch, with nothing on the error queue.
                return EVP_DecryptFinal_ex(context.pointer, out.baseAddress! + Int(written), &finalWritten) == 1
            }
        }
        guard ok else {
            output.withUnsafeMutableBytes { SecureWipe.wipe($0) }
            return nil
        }
        output.removeLast(Self.tagLength)
        return SecretBytes(output)
    }

    package func open(_ sealed: [UInt8], key: SecretBytes, nonce: [UInt8], aad: [UInt8] = []) -> SecretBytes? {
        sealed.withUnsafeBytes { open($0, key: key, nonce: nonce, aad: aad) }
    }
}
