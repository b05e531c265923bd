/// Sprig's `b64enc`, `b64dec`, `b32enc`, `b32dec` on Go's standard encodings.
///
/// The decoders return the *error text* as their result when the input is malformed
/// (`b64dec "not base64!"` renders "illegal base64 data at input byte 3"), so the byte
/// offsets of Go's `CorruptInputError` are reproduced exactly.
enum SprigEncoding {
    static let functions: [String: TemplateFunction] = [
        "b64enc": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            try context.checkSize(a[0].str.count / 3 * 4 + 4)
            return .string(Base64.encode(a[0].str))
        },
        "b64dec": TemplateFunction([.string]) { _, a in
            switch Base64.decode(a[0].str) {
            case .success(let bytes): return .string(bytes)
            case .failure(let offset): return .string("illegal base64 data at input byte \(offset.offset)")
            }
        },
        "b32enc": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            try context.checkSize(a[0].str.count / 5 * 8 + 8)
            return .string(Base32.encode(a[0].str))
        },
        "b32dec": TemplateFunction([.string]) { _, a in
            switch Base32.decode(a[0].str) {
            case .success(let bytes): return .string(bytes)
            case .failure(let offset): return .string("illegal base32 data at input byte \(offset.offset)")
            }
        },
    ]
}

/// `base64.CorruptInputError`.
struct CorruptInput: Error {
    let offset: Int
}

/// `encoding/base64.StdEncoding`: padded, non-strict, CR and LF ignored while decoding.
enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let decodeMap: [UInt8] = {
        var map = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { map[Int(c)] = UInt8(i) }
        return map
    }()

    static func encode(_ src: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((src.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= src.count {
            let v = UInt32(src[i]) << 16 | UInt32(src[i + 1]) << 8 | UInt32(src[i + 2])
            out.append(alphabet[Int(v >> 18 & 0x3F)])
            out.append(alphabet[Int(v >> 12 & 0x3F)])
            out.append(alphabet[Int(v >> 6 & 0x3F)])
            out.append(alphabet[Int(v & 0x3F)])
            i += 3
        }
        let remaining = src.count - i
        if remaining > 0 {
            var v = UInt32(src[i]) << 16
            if remaining == 2 { v |= UInt32(src[i + 1]) << 8 }
            out.append(alphabet[Int(v >> 18 & 0x3F)])
            out.append(alphabet[Int(v >> 12 & 0x3F)])
            if remaining == 2 {
                out.append(alphabet[Int(v >> 6 & 0x3F)])
            } else {
                out.append(UInt8(ascii: "="))
            }
            out.append(UInt8(ascii: "="))
        }
        return out
    }

    /// `StdEncoding.DecodeString`, quantum by quantum like Go's `decodeQuantum`.
    static func decode(_ src: [UInt8]) -> Result<[UInt8], CorruptInput> {
        var out: [UInt8] = []
        out.reserveCapacity(src.count / 4 * 3)
        var si = 0
        let pad = UInt8(ascii: "=")
        func isNewline(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }
        while true {
            var dbuf = [UInt8](repeating: 0, count: 4)
            var dlen = 4
            var j = 0
            var finished = false
            while j < 4 {
                if si == src.count {
                    if j == 0 { return .success(out) }
                    // Missing padding (j == 1 cannot be completed by padding either).
                    return .failure(CorruptInput(offset: si - j))
                }
                let c = src[si]
                si += 1
                let value = decodeMap[Int(c)]
                if value != 0xFF {
                    dbuf[j] = value
                    j += 1
                    continue
                }
                if isNewline(c) { continue }
                if c != pad { return .failure(CorruptInput(offset: si - 1)) }
                // Padding: only after two or three symbols.
                switch j {
                case 0, 1:
                    return .failure(CorruptInput(offset: si - 1))
                case 2:
                    while si < src.count && isNewline(src[si]) { si += 1 }
                    if si == src.count { return .failure(CorruptInput(offset: src.count)) }
                    if src[si] != pad { return .failure(CorruptInput(offset: si - 1)) }
                    si += 1
                default:
                    break
                }
                while si < src.count && isNewline(src[si]) { si += 1 }
                if si < src.count { return .failure(CorruptInput(offset: si)) }
                dlen = j
                finished = true
                break
            }
            let v = UInt32(dbuf[0]) << 18 | UInt32(dbuf[1]) << 12 | UInt32(dbuf[2]) << 6 | UInt32(dbuf[3])
            let bytes = [UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
            out.append(contentsOf: bytes.prefix(dlen - 1))
            if finished { return .success(out) }
        }
    }
}

/// `encoding/base32.StdEncoding`: padded; CR and LF are removed before decoding.
enum Base32 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    private static let decodeMap: [UInt8] = {
        var map = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { map[Int(c)] = UInt8(i) }
        return map
    }()

    static func encode(_ src: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < src.count {
            let chunk = Array(src[i..<min(i + 5, src.count)])
            var block = [UInt8](repeating: 0, count: 5)
            for (k, b) in chunk.enumerated() { block[k] = b }
            let v = block.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let symbols = [1: 2, 2: 4, 3: 5, 4: 7, 5: 8][chunk.count]!
            for k in 0..<8 {
                if k < symbols {
                    out.append(alphabet[Int((v >> UInt64(35 - 5 * k)) & 0x1F)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            i += 5
        }
        return out
    }

    /// `StdEncoding.DecodeString`, following Go's `decode` loop for error offsets.
    static func decode(_ input: [UInt8]) -> Result<[UInt8], CorruptInput> {
        let src = input.filter { $0 != 0x0A && $0 != 0x0D }
        let olen = src.count
        var out: [UInt8] = []
        var index = 0
        var end = false
        let pad = UInt8(ascii: "=")
        while index < src.count && !end {
            var dbuf = [UInt8](repeating: 0, count: 8)
            var dlen = 8
            var j = 0
            while j < 8 {
                if index == src.count {
                    return .failure(CorruptInput(offset: olen - (src.count - index) - j))
                }
                let c = src[index]
                index += 1
                let remaining = src.count - index
                if c == pad && j >= 2 && remaining < 8 {
                    if remaining + j < 8 - 1 { return .failure(CorruptInput(offset: olen)) }
                    for k in 0..<(8 - 1 - j) where remaining > k && src[index + k] != pad {
                        return .failure(CorruptInput(offset: olen - remaining + k - 1))
                    }
                    dlen = j
                    end = true
                    if dlen == 1 || dlen == 3 || dlen == 6 {
                        return .failure(CorruptInput(offset: olen - remaining - 1))
                    }
                    break
                }
                let value = decodeMap[Int(c)]
                if value == 0xFF { return .failure(CorruptInput(offset: olen - remaining - 1)) }
                dbuf[j] = value
                j += 1
            }
            var block = [UInt8](repeating: 0, count: 5)
            block[4] = dbuf[6] << 5 | dbuf[7]
            block[3] = dbuf[4] << 7 | dbuf[5] << 2 | dbuf[6] >> 3
            block[2] = dbuf[3] << 4 | dbuf[4] >> 1
            block[1] = dbuf[1] << 6 | dbuf[2] << 1 | dbuf[3] >> 4
            block[0] = dbuf[0] << 3 | dbuf[1] >> 2
            let produced = [8: 5, 7: 4, 5: 3, 4: 2, 2: 1][dlen] ?? 0
            out.append(contentsOf: block.prefix(produced))
        }
        return .success(out)
    }
}
