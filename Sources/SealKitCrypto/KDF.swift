internal import COpenSSL

/// Key derivation through OpenSSL 3's `EVP_KDF` ("HKDF" and "SCRYPT"): the derivations age and
/// SOPS need, never hand-rolled. Outputs are ``SecretBytes`` because they are keys.
package enum KDF {
    /// The single owner of one `EVP_KDF_CTX` (and the fetched `EVP_KDF` it came from).
    private final class Context {
        let kdf: OpaquePointer
        let pointer: OpaquePointer

        init(_ name: StaticString) throws(CryptoError) {
            let cName = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
            guard let kdf = EVP_KDF_fetch(nil, cName, nil) else {
                throw CryptoError(.keyDerivationFailed, "OpenSSL has no \(name) KDF: \(OpenSSLErrorQueue.drain())")
            }
            guard let pointer = EVP_KDF_CTX_new(kdf) else {
                EVP_KDF_free(kdf)
                throw CryptoError(.keyDerivationFailed, "cannot create a \(name) context: \(OpenSSLErrorQueue.drain())")
            }
            self.kdf = kdf
            self.pointer = pointer
        }

        deinit {
            EVP_KDF_CTX_free(pointer)
            EVP_KDF_free(kdf)
        }

        func derive(_ length: Int, _ params: [(name: StaticString, value: OSSLParams.Value)], what: String) throws(CryptoError) -> SecretBytes {
            var output = [UInt8](repeating: 0, count: length)
            let ok = OSSLParams.with(params) { params in
                output.withUnsafeMutableBufferPointer { EVP_KDF_derive(pointer, $0.baseAddress, length, params) }
            }
            guard ok == 1 else {
                output.withUnsafeMutableBytes { SecureWipe.wipe($0) }
                throw CryptoError(.keyDerivationFailed, "\(what) failed: \(OpenSSLErrorQueue.drain())")
            }
            return SecretBytes(output)
        }
    }

    /// HKDF-SHA-256 (RFC 5869), extract and expand. An empty `salt` means the RFC's default
    /// (a hash-length string of zeros), as age's `hkdf.New(sha256.New, key, nil, info)`.
    package static func hkdfSHA256(key: SecretBytes, salt: [UInt8], info: [UInt8], length: Int) throws(CryptoError) -> SecretBytes {
        OpenSSLErrorQueue.clear()
        let context = try Context("HKDF")
        var params: [(name: StaticString, value: OSSLParams.Value)] = [("digest", .utf8("SHA256")), ("key", .secret(key))]
        if !salt.isEmpty { params.append(("salt", .octets(salt))) }
        params.append(("info", .octets(info)))
        return try context.derive(length, params, what: "HKDF")
    }

    /// The largest scrypt work factor (log2 N) accepted. 2^22 with r = 8 needs 4 GiB; age's
    /// own decrypter stops at 22 too, so a file cannot make us spend more than age would.
    package static let maximumScryptLogN = 22

    /// scrypt (RFC 7914) with r = 8 and p = 1, as age fixes them.
    ///
    /// CPU- and memory-heavy on purpose (seconds, and 256 MiB at age's default work factor 18):
    /// callers in async code must run it off the cooperative pool.
    /// - Throws: ``CryptoError/Code/keyDerivationFailed`` for a work factor outside 1...22.
    package static func scrypt(password: SecretBytes, salt: [UInt8], logN: Int, length: Int) throws(CryptoError) -> SecretBytes {
        guard (1...maximumScryptLogN).contains(logN) else {
            throw CryptoError(.keyDerivationFailed, "scrypt work factor \(logN) is outside 1...\(maximumScryptLogN)")
        }
        OpenSSLErrorQueue.clear()
        let context = try Context("SCRYPT")
        let n = UInt64(1) << UInt64(logN)
        let r: UInt64 = 8, p: UInt64 = 1
        // OpenSSL refuses unless maxmem covers B (128·r·p) and V (128·r·(N+2)) plus slack.
        let memory = 128 * r * (n + 2 + p) + 1 << 20
        return try context.derive(length, [
            ("pass", .secret(password)), ("salt", .octets(salt)),
            ("n", .uint64(n)), ("r", .uint32(UInt32(r))), ("p", .uint32(UInt32(p))), ("maxmem_bytes", .uint64(memory)),
        ], what: "scrypt")
    }
}
