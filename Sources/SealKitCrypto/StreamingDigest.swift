internal import COpenSSL

/// An incremental SHA-512 (`EVP_MD_CTX`), for digests over many separate inputs without
/// concatenating them first: the SOPS MAC runs over every plaintext value in a file, and a
/// concatenation would be one more copy of all of them to wipe.
package final class StreamingDigest {
    private let pointer: OpaquePointer

    /// A SHA-512 context.
    package init() {
        guard let pointer = EVP_MD_CTX_new(), EVP_DigestInit_ex(pointer, EVP_sha512(), nil) == 1 else {
            fatalError("OpenSSL cannot start a SHA-512 digest: \(OpenSSLErrorQueue.drain())")
        }
        self.pointer = pointer
    }

    deinit { EVP_MD_CTX_free(pointer) }

    package func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(pointer, bytes.baseAddress, bytes.count) == 1, "OpenSSL SHA-512 update failed")
    }

    package func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The digest; the context cannot be used afterwards.
    package func finish() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var written: UInt32 = 0
        precondition(EVP_DigestFinal_ex(pointer, &output, &written) == 1 && written == 64, "OpenSSL SHA-512 final failed")
        return Array(output.prefix(64))
    }
}
