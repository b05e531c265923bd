internal import COpenSSL

/// The single owner of an OpenSSL `EVP_PKEY`.
///
/// `@unchecked Sendable`: the pointer is never mutated after `init`, and OpenSSL 3 allows
/// concurrent read-only use of one key (each operation makes its own `EVP_PKEY_CTX`).
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes over one reference to `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    var isRSA: Bool { EVP_PKEY_is_a(pointer, "RSA") == 1 }
    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// DER `SubjectPublicKeyInfo`: the canonical public half, used for fingerprints and equality.
    func subjectPublicKeyInfoDER() -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_PUBKEY(pointer, &out)
        guard length > 0, let out else { return [] }
        defer { sealkit_openssl_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }

    /// A public RSA component (`"n"` or `"e"`) as big-endian bytes; empty if absent.
    func rsaComponent(_ name: String) -> [UInt8] {
        var number: OpaquePointer? = nil
        guard EVP_PKEY_get_bn_param(pointer, name, &number) == 1, let number else { return [] }
        defer { BN_free(number) }
        var bytes = [UInt8](repeating: 0, count: Int((BN_num_bits(number) + 7) / 8))
        _ = BN_bn2bin(number, &bytes)
        return bytes
    }

    /// A new key object holding only the public half (so a `PublicKey` never carries a private one).
    func publicOnly() -> EVPKey? {
        let der = subjectPublicKeyInfoDER()
        return der.withUnsafeBufferPointer { buffer -> EVPKey? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let key = d2i_PUBKEY(nil, &cursor, buffer.count) else { return nil }
            return EVPKey(taking: key)
        }
    }
}

/// A memory BIO over caller-owned bytes, or an empty write BIO. Scoped so the BIO never
/// outlives the buffer it reads from (`BIO_new_mem_buf` does not copy).
enum MemoryBIO {
    static func reading<R>(_ bytes: [UInt8], _ body: (OpaquePointer) -> R) -> R? {
        bytes.withUnsafeBytes { reading($0, body) }
    }

    /// A read-only BIO over `raw` itself: OpenSSL reads the caller's bytes in place, no copy.
    static func reading<R>(_ raw: UnsafeRawBufferPointer, _ body: (OpaquePointer) -> R) -> R? {
        guard raw.count <= Int(Int32.max), let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
        defer { BIO_free(bio) }
        return body(bio)
    }

    /// Runs `write` against a fresh memory BIO and returns what it wrote, or nil if it failed.
    static func writing(_ write: (OpaquePointer) -> Bool) -> [UInt8]? {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard write(bio) else { return nil }
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = sealkit_bio_get_mem_data(bio, &data)
        guard length >= 0, let data else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}
