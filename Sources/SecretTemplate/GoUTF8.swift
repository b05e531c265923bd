/// UTF-8 decoding and encoding with the exact rules of Go's `unicode/utf8`.
///
/// Go strings are byte strings: secret values may hold any bytes, and every function the
/// templates can call treats a malformed sequence as the single rune U+FFFD of width one
/// byte. Swift's `String` would repair or reject such input, so all text processing in this
/// module goes through these helpers on `[UInt8]`.
enum GoUTF8 {
    /// U+FFFD, what Go decodes an invalid byte to.
    static let runeError: UInt32 = 0xFFFD
    /// The largest valid code point.
    static let maxRune: UInt32 = 0x10FFFF

    /// Decodes the rune starting at `index`, like `utf8.DecodeRune(b[index:])`.
    /// Returns `(runeError, 1)` for an invalid sequence and `(runeError, 0)` at the end.
    @inline(__always)
    static func decode(_ bytes: [UInt8], at index: Int) -> (rune: UInt32, width: Int) {
        decode(bytes, at: index, end: bytes.count)
    }

    /// Decodes the rune at `index` without looking at bytes at or past `end`.
    static func decode(_ bytes: [UInt8], at index: Int, end: Int) -> (rune: UInt32, width: Int) {
        guard index < end else { return (runeError, 0) }
        let b0 = bytes[index]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let available = end - index
        // The accepted second-byte range depends on the first byte (no overlongs, no
        // surrogates, nothing above U+10FFFF), exactly as Go's `first`/`acceptRanges` tables.
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        let length: Int
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; hi = 0x9F
        case 0xF0: length = 4; lo = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; hi = 0x8F
        default: return (runeError, 1)
        }
        guard available >= 2 else { return (runeError, 1) }
        let b1 = bytes[index + 1]
        guard b1 >= lo && b1 <= hi else { return (runeError, 1) }
        if length == 2 {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(b1 & 0x3F), 2)
        }
        guard available >= 3 else { return (runeError, 1) }
        let b2 = bytes[index + 2]
        guard b2 >= 0x80 && b2 <= 0xBF else { return (runeError, 1) }
        if length == 3 {
            return ((UInt32(b0 & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(b2 & 0x3F), 3)
        }
        guard available >= 4 else { return (runeError, 1) }
        let b3 = bytes[index + 3]
        guard b3 >= 0x80 && b3 <= 0xBF else { return (runeError, 1) }
        let r = (UInt32(b0 & 0x07) << 18) | (UInt32(b1 & 0x3F) << 12) | (UInt32(b2 & 0x3F) << 6) | UInt32(b3 & 0x3F)
        return (r, 4)
    }

    /// Decodes the last rune before `end`, like `utf8.DecodeLastRune(b[:end])`.
    static func decodeLast(_ bytes: [UInt8], before end: Int) -> (rune: UInt32, width: Int) {
        guard end > 0 else { return (runeError, 0) }
        if bytes[end - 1] < 0x80 { return (UInt32(bytes[end - 1]), 1) }
        // Walk back over at most three continuation bytes to find a start byte.
        var start = end - 1
        let limit = max(0, end - 4)
        while start > limit && (bytes[start] & 0xC0) == 0x80 {
            start -= 1
        }
        let (r, w) = decode(bytes, at: start, end: end)
        if start + w != end { return (runeError, 1) }
        return (r, w)
    }

    /// Whether `r` is a code point Go's `utf8.ValidRune` accepts.
    static func isValid(_ r: UInt32) -> Bool {
        r < 0xD800 || (r > 0xDFFF && r <= maxRune)
    }

    /// Appends the UTF-8 encoding of `r`; invalid runes encode as U+FFFD like `utf8.AppendRune`.
    static func append(_ r: UInt32, to out: inout [UInt8]) {
        let r = isValid(r) ? r : runeError
        switch r {
        case 0..<0x80:
            out.append(UInt8(r))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (r >> 6)))
            out.append(UInt8(0x80 | (r & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (r >> 12)))
            out.append(UInt8(0x80 | ((r >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (r & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (r >> 18)))
            out.append(UInt8(0x80 | ((r >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((r >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (r & 0x3F)))
        }
    }

    /// The encoding of a single rune.
    static func encode(_ r: UInt32) -> [UInt8] {
        var out: [UInt8] = []
        append(r, to: &out)
        return out
    }

    /// Number of bytes `append` would produce.
    static func encodedLength(_ r: UInt32) -> Int {
        let r = isValid(r) ? r : runeError
        switch r {
        case 0..<0x80: return 1
        case 0x80..<0x800: return 2
        case 0x800..<0x10000: return 3
        default: return 4
        }
    }

    /// Rune count, counting each invalid byte as one rune (`utf8.RuneCount`).
    static func runeCount(_ bytes: [UInt8]) -> Int {
        var count = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 {
                i += 1
            } else {
                i += decode(bytes, at: i).width
            }
            count += 1
        }
        return count
    }

    /// Whether the bytes are well-formed UTF-8 (`utf8.Valid`).
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 { i += 1; continue }
            let (r, w) = decode(bytes, at: i)
            if r == runeError && w == 1 { return false }
            i += w
        }
        return true
    }

    /// Decodes every rune, as Go's `[]rune(s)` conversion does.
    static func runes(_ bytes: [UInt8]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let (r, w) = decode(bytes, at: i)
            out.append(r)
            i += w
        }
        return out
    }

    /// Encodes runes back to bytes, as Go's `string([]rune)` conversion does.
    static func string(fromRunes runes: [UInt32]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(runes.count)
        for r in runes { append(r, to: &out) }
        return out
    }
}

extension Array where Element == UInt8 {
    /// The bytes of a Swift string (always valid UTF-8).
    @inline(__always)
    init(goString s: String) {
        self = Array(s.utf8)
    }
}

/// Converts bytes to a Swift `String` for diagnostics only; invalid sequences become U+FFFD.
@inline(__always)
func displayString(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}
