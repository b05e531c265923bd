internal import COpenSSL

/// HMAC-SHA-256 through OpenSSL 3's `EVP_MAC` ("HMAC"): age's header MAC.
package enum HMAC {
    /// The single owner of one `EVP_MAC_CTX` and its fetched `EVP_MAC`.
    private final class Context {
        let mac: OpaquePointer
        let pointer: OpaquePointer

        init() throws(CryptoError) {
            guard let mac = EVP_MAC_fetch(nil, "HMAC", nil) else {
                throw CryptoError(.keyDerivationFailed, "OpenSSL has no HMAC: \(OpenSSLErrorQueue.drain())")
            }
            guard let pointer = EVP_MAC_CTX_new(mac) else {
                EVP_MAC_free(mac)
                throw CryptoError(.keyDerivationFailed, "cannot create an HMAC context: \(OpenSSLErrorQueue.drain())")
            }
            self.mac = mac
            self.pointer = pointer
        }

        deinit {
            EVP_MAC_CTX_free(pointer)
            EVP_MAC_free(mac)
        }
    }

    /// HMAC-SHA-256 of `message` under `key` (32 bytes out).
    package static func sha256(key: SecretBytes, message: [UInt8]) throws(CryptoError) -> [UInt8] {
        OpenSSLErrorQueue.clear()
        let context = try Context()
        var output = [UInt8](repeating: 0, count: 32)
        var written = 0
        let ok = OSSLParams.with([("digest", .utf8("SHA256"))]) { params -> Bool in
            key.withUnsafeBytes { keyBytes in
                EVP_MAC_init(context.pointer, keyBytes.bindMemory(to: UInt8.self).baseAddress, keyBytes.count, params) == 1
            }
                && message.withUnsafeBufferPointer { EVP_MAC_update(context.pointer, $0.baseAddress, $0.count) } == 1
                && EVP_MAC_final(context.pointer, &output, &written, output.count) == 1
        }
        guard ok, written == 32 else {
            throw CryptoError(.keyDerivationFailed, "HMAC failed: \(OpenSSLErrorQueue.drain())")
        }
        return output
    }

    /// Compares two MACs in constant time (`CRYPTO_memcmp`), so timing reveals nothing about
    /// how much of a forged MAC was right.
    package static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }
}
