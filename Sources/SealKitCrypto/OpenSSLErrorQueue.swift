internal import COpenSSL

/// OpenSSL reports failures on a per-thread error queue. Every operation clears it first and
/// drains it in the same synchronous function, so a message always belongs to the call that
/// produced it.
enum OpenSSLErrorQueue {
    static func clear() {
        ERR_clear_error()
    }

    /// Drains the queue into one line (the reasons only; OpenSSL never puts key material there).
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            reasons.append(String(decoding: bytes, as: UTF8.self))
        }
        return reasons.isEmpty ? "unknown OpenSSL error" : reasons.joined(separator: "; ")
    }
}
