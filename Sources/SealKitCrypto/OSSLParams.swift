internal import COpenSSL

/// Builds the `OSSL_PARAM` arrays OpenSSL 3's `EVP_KDF` and `EVP_MAC` take.
///
/// OpenSSL keeps the parameter *name* pointer, so names are `StaticString`s (static storage);
/// the value buffers are only read during the call that receives the array, which is why
/// every helper here passes the array to a closure instead of returning it.
enum OSSLParams {
    /// A parameter value: bytes (octet string), a UTF-8 name such as a digest, or an integer.
    enum Value {
        case octets([UInt8])
        case secret(SecretBytes)
        case utf8(StaticString)
        case uint64(UInt64)
        case uint32(UInt32)
    }

    /// Calls `body` with a NUL-terminated parameter array whose buffers are valid for the call.
    static func with<R>(_ entries: [(name: StaticString, value: Value)], _ body: (UnsafePointer<OSSL_PARAM>) -> R) -> R {
        var params: [OSSL_PARAM] = []
        params.reserveCapacity(entries.count + 1)
        return build(entries[...], into: &params, body)
    }

    private static func cName(_ name: StaticString) -> UnsafeMutablePointer<CChar> {
        UnsafeMutableRawPointer(mutating: UnsafeRawPointer(name.utf8Start)).assumingMemoryBound(to: CChar.self)
    }

    /// Recursion keeps each value's buffer pinned (inside its `withUnsafe…` scope) until the
    /// innermost call runs `body` on the finished array.
    private static func build<R>(_ rest: ArraySlice<(name: StaticString, value: Value)>, into params: inout [OSSL_PARAM],
                                 _ body: (UnsafePointer<OSSL_PARAM>) -> R) -> R {
        guard let entry = rest.first else {
            params.append(OSSL_PARAM_construct_end())
            return params.withUnsafeBufferPointer { body($0.baseAddress!) }
        }
        let remaining = rest.dropFirst()
        let key = cName(entry.name)
        switch entry.value {
        case .octets(let bytes):
            return bytes.withUnsafeBytes { raw in
                params.append(OSSL_PARAM_construct_octet_string(key, UnsafeMutableRawPointer(mutating: raw.baseAddress), raw.count))
                return build(remaining, into: &params, body)
            }
        case .secret(let secret):
            return secret.withUnsafeBytes { raw in
                params.append(OSSL_PARAM_construct_octet_string(key, UnsafeMutableRawPointer(mutating: raw.baseAddress), raw.count))
                return build(remaining, into: &params, body)
            }
        case .utf8(let text):
            params.append(OSSL_PARAM_construct_utf8_string(key, cName(text), 0))
            return build(remaining, into: &params, body)
        case .uint64(let number):
            var value = number
            return withUnsafeMutablePointer(to: &value) { pointer in
                params.append(OSSL_PARAM_construct_uint64(key, pointer))
                return build(remaining, into: &params, body)
            }
        case .uint32(let number):
            var value = number
            return withUnsafeMutablePointer(to: &value) { pointer in
                params.append(OSSL_PARAM_construct_uint32(key, pointer))
                return build(remaining, into: &params, body)
            }
        }
    }
}
