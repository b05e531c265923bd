/// Number parsing and string quoting with the rules of Go's `strconv` package.
///
/// Template literals (`0x1F`, `1_000`, `'a'`, `"\u00e9"`), Sprig's conversions (`atoi`,
/// `int`, `float64`) and `%q` all depend on these exact syntaxes, so they are reimplemented
/// rather than approximated with Swift's parsers.
enum GoStrconv {
    enum NumberError: Error, Equatable {
        /// The text is not a number in the requested syntax (`strconv.ErrSyntax`).
        case syntax
        /// The number does not fit (`strconv.ErrRange`).
        case range
    }

    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    private static func lower(_ c: UInt8) -> UInt8 { c | 0x20 }

    // MARK: Integers

    /// `strconv.ParseUint(s, base, 64)`; `base == 0` honours the 0x/0o/0b/0 prefixes and
    /// digit-separating underscores, as Go literals do.
    static func parseUint(_ s: [UInt8], base requestedBase: Int) -> Result<UInt64, NumberError> {
        if s.isEmpty { return .failure(.syntax) }
        let base0 = requestedBase == 0
        var base = requestedBase
        var digits = s[...]
        if base0 {
            base = 10
            if s[0] == UInt8(ascii: "0") {
                if s.count >= 3 && lower(s[1]) == UInt8(ascii: "b") {
                    base = 2; digits = s[2...]
                } else if s.count >= 3 && lower(s[1]) == UInt8(ascii: "o") {
                    base = 8; digits = s[2...]
                } else if s.count >= 3 && lower(s[1]) == UInt8(ascii: "x") {
                    base = 16; digits = s[2...]
                } else {
                    base = 8; digits = s[1...]
                }
            }
        }
        var n: UInt64 = 0
        var underscores = false
        let cutoff = UInt64.max / UInt64(base) + 1
        for c in digits {
            var d: UInt8
            if c == UInt8(ascii: "_") && base0 {
                underscores = true
                continue
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                d = c - UInt8(ascii: "0")
            } else if lower(c) >= UInt8(ascii: "a") && lower(c) <= UInt8(ascii: "z") {
                d = lower(c) - UInt8(ascii: "a") + 10
            } else {
                return .failure(.syntax)
            }
            if Int(d) >= base { return .failure(.syntax) }
            if n >= cutoff { return .failure(.range) }
            n *= UInt64(base)
            let (sum, overflow) = n.addingReportingOverflow(UInt64(d))
            if overflow { return .failure(.range) }
            n = sum
        }
        if underscores && !underscoreOK(s) { return .failure(.syntax) }
        return .success(n)
    }

    /// `strconv.ParseInt(s, base, 64)`.
    static func parseInt(_ s: [UInt8], base: Int) -> Result<Int64, NumberError> {
        if s.isEmpty { return .failure(.syntax) }
        var body = s
        var negative = false
        if s[0] == UInt8(ascii: "+") {
            body = Array(s[1...])
        } else if s[0] == UInt8(ascii: "-") {
            negative = true
            body = Array(s[1...])
        }
        let magnitude: UInt64
        switch parseUint(body, base: base) {
        case .success(let value): magnitude = value
        case .failure(.range): return .failure(.range)
        case .failure(.syntax):
            return .failure(.syntax)
        }
        let cutoff: UInt64 = 1 << 63
        if !negative && magnitude >= cutoff { return .failure(.range) }
        if negative && magnitude > cutoff { return .failure(.range) }
        if negative {
            return .success(magnitude == cutoff ? Int64.min : -Int64(magnitude))
        }
        return .success(Int64(magnitude))
    }

    /// `strconv.Atoi`: base 10, optional sign, no prefixes or underscores.
    static func atoi(_ s: [UInt8]) -> Result<Int64, NumberError> {
        parseInt(s, base: 10)
    }

    /// Go's rule for digit-separating underscores: only between digits (a base prefix counts
    /// as a digit).
    static func underscoreOK(_ text: [UInt8]) -> Bool {
        var saw: UInt8 = UInt8(ascii: "^")
        var s = text[...]
        if let first = s.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            s = s.dropFirst()
        }
        var i = s.startIndex
        var hex = false
        if s.count >= 2 && s[i] == UInt8(ascii: "0") {
            let p = lower(s[i + 1])
            if p == UInt8(ascii: "b") || p == UInt8(ascii: "o") || p == UInt8(ascii: "x") {
                i += 2
                saw = UInt8(ascii: "0")
                hex = p == UInt8(ascii: "x")
            }
        }
        while i < s.endIndex {
            let c = s[i]
            defer { i += 1 }
            if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || (hex && lower(c) >= UInt8(ascii: "a") && lower(c) <= UInt8(ascii: "f")) {
                saw = UInt8(ascii: "0")
                continue
            }
            if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
                continue
            }
            if saw == UInt8(ascii: "_") { return false }
            saw = UInt8(ascii: "!")
        }
        return saw != UInt8(ascii: "_")
    }

    // MARK: Floats

    /// `strconv.ParseFloat(s, 64)`: decimal and hexadecimal (`0x1p-2`) syntax, underscores
    /// between digits, `inf`/`infinity`/`nan` in any case. Values too large for a float64 are
    /// a range error; values too small round to zero, as in Go.
    static func parseFloat(_ s: [UInt8]) -> Result<Double, NumberError> {
        if let special = parseSpecial(s) { return .success(special) }
        guard let cleaned = validatedFloatText(s) else { return .failure(.syntax) }
        guard let value = Double(String(decoding: cleaned, as: UTF8.self)) else {
            return .failure(.syntax)
        }
        if value.isInfinite { return .failure(.range) }
        return .success(value)
    }

    private static func parseSpecial(_ s: [UInt8]) -> Double? {
        var body = s[...]
        var sign: Double = 1
        if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            if first == UInt8(ascii: "-") { sign = -1 }
            body = body.dropFirst()
            let word = Array(body.map(lower))
            if word == Array("inf".utf8) || word == Array("infinity".utf8) { return sign * .infinity }
            return nil
        }
        let word = Array(body.map(lower))
        if word == Array("inf".utf8) || word == Array("infinity".utf8) { return .infinity }
        if word == Array("nan".utf8) { return .nan }
        return nil
    }

    /// Checks Go's float literal grammar and returns the text without underscores.
    private static func validatedFloatText(_ s: [UInt8]) -> [UInt8]? {
        var i = 0
        let n = s.count
        if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
        var base = 10
        if i + 1 < n && s[i] == UInt8(ascii: "0") && lower(s[i + 1]) == UInt8(ascii: "x") {
            base = 16
            i += 2
        }
        var sawDigits = false
        var sawDot = false
        var underscores = false
        func isDigit(_ c: UInt8) -> Bool {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") { return true }
            return base == 16 && lower(c) >= UInt8(ascii: "a") && lower(c) <= UInt8(ascii: "f")
        }
        while i < n {
            let c = s[i]
            if c == UInt8(ascii: "_") {
                underscores = true
            } else if c == UInt8(ascii: ".") {
                if sawDot { break }
                sawDot = true
            } else if isDigit(c) {
                sawDigits = true
            } else {
                break
            }
            i += 1
        }
        if !sawDigits { return nil }
        let expChar: UInt8 = base == 16 ? UInt8(ascii: "p") : UInt8(ascii: "e")
        if i < n && lower(s[i]) == expChar {
            i += 1
            if i < n && (s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < n, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") else { return nil }
            while i < n && ((s[i] >= UInt8(ascii: "0") && s[i] <= UInt8(ascii: "9")) || s[i] == UInt8(ascii: "_")) {
                if s[i] == UInt8(ascii: "_") { underscores = true }
                i += 1
            }
        } else if base == 16 {
            return nil
        }
        if i != n { return nil }
        if underscores && !underscoreOK(s) { return nil }
        return s.filter { $0 != UInt8(ascii: "_") }
    }

    // MARK: Quoting

    /// `strconv.Quote` (and `QuoteToASCII` when `asciiOnly`).
    static func quote(_ s: [UInt8], quote q: UInt8 = UInt8(ascii: "\""), asciiOnly: Bool = false) -> [UInt8] {
        var out: [UInt8] = [q]
        out.reserveCapacity(s.count + 2)
        var i = 0
        while i < s.count {
            let c = s[i]
            var r = UInt32(c)
            var width = 1
            if c >= 0x80 {
                (r, width) = GoUTF8.decode(s, at: i)
            }
            if width == 1 && r == GoUTF8.runeError {
                out.append(contentsOf: Array("\\x".utf8))
                out.append(lowerHex[Int(c >> 4)])
                out.append(lowerHex[Int(c & 0xF)])
                i += 1
                continue
            }
            appendEscapedRune(r, quote: q, asciiOnly: asciiOnly, to: &out)
            i += width
        }
        out.append(q)
        return out
    }

    /// `strconv.QuoteRune` (and `QuoteRuneToASCII`).
    static func quoteRune(_ r: UInt32, asciiOnly: Bool = false) -> [UInt8] {
        let q = UInt8(ascii: "'")
        var out: [UInt8] = [q]
        appendEscapedRune(GoUTF8.isValid(r) ? r : GoUTF8.runeError, quote: q, asciiOnly: asciiOnly, to: &out)
        out.append(q)
        return out
    }

    private static func appendEscapedRune(_ r: UInt32, quote q: UInt8, asciiOnly: Bool, to out: inout [UInt8]) {
        if r == UInt32(q) || r == 0x5C {
            out.append(0x5C)
            GoUTF8.append(r, to: &out)
            return
        }
        if asciiOnly {
            if r < 0x80 && GoUnicode.isPrint(r) {
                out.append(UInt8(r))
                return
            }
        } else if GoUnicode.isPrint(r) {
            GoUTF8.append(r, to: &out)
            return
        }
        switch r {
        case 0x07: out.append(contentsOf: Array("\\a".utf8))
        case 0x08: out.append(contentsOf: Array("\\b".utf8))
        case 0x0C: out.append(contentsOf: Array("\\f".utf8))
        case 0x0A: out.append(contentsOf: Array("\\n".utf8))
        case 0x0D: out.append(contentsOf: Array("\\r".utf8))
        case 0x09: out.append(contentsOf: Array("\\t".utf8))
        case 0x0B: out.append(contentsOf: Array("\\v".utf8))
        default:
            if r < 0x20 || r == 0x7F {
                out.append(contentsOf: Array("\\x".utf8))
                out.append(lowerHex[Int((r >> 4) & 0xF)])
                out.append(lowerHex[Int(r & 0xF)])
            } else {
                let v = GoUTF8.isValid(r) ? r : GoUTF8.runeError
                if v < 0x10000 {
                    out.append(contentsOf: Array("\\u".utf8))
                    for shift in stride(from: 12, through: 0, by: -4) {
                        out.append(lowerHex[Int((v >> UInt32(shift)) & 0xF)])
                    }
                } else {
                    out.append(contentsOf: Array("\\U".utf8))
                    for shift in stride(from: 28, through: 0, by: -4) {
                        out.append(lowerHex[Int((v >> UInt32(shift)) & 0xF)])
                    }
                }
            }
        }
    }

    /// `strconv.CanBackquote`.
    static func canBackquote(_ s: [UInt8]) -> Bool {
        var i = 0
        while i < s.count {
            let (r, w) = GoUTF8.decode(s, at: i)
            i += w
            if w > 1 {
                if r == 0xFEFF { return false }
                continue
            }
            if r == GoUTF8.runeError { return false }
            if (r < 0x20 && r != 0x09) || r == 0x60 || r == 0x7F { return false }
        }
        return true
    }

    // MARK: Unquoting

    private static func unhex(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// `strconv.UnquoteChar`: decodes one (possibly escaped) character of a quoted literal.
    /// `multibyte` tells whether the value must be UTF-8 encoded (as opposed to `\x`/octal
    /// escapes, which denote raw bytes).
    static func unquoteChar(_ s: ArraySlice<UInt8>, quote q: UInt8) -> (value: UInt32, multibyte: Bool, tail: ArraySlice<UInt8>)? {
        guard let c = s.first else { return nil }
        if c == q && (q == UInt8(ascii: "'") || q == UInt8(ascii: "\"")) { return nil }
        if c >= 0x80 {
            let bytes = Array(s.prefix(4))
            let (r, w) = GoUTF8.decode(bytes, at: 0)
            return (r, true, s.dropFirst(w))
        }
        if c != 0x5C { return (UInt32(c), false, s.dropFirst()) }
        guard s.count > 1 else { return nil }
        let e = s[s.startIndex + 1]
        var rest = s.dropFirst(2)
        switch e {
        case UInt8(ascii: "a"): return (0x07, false, rest)
        case UInt8(ascii: "b"): return (0x08, false, rest)
        case UInt8(ascii: "f"): return (0x0C, false, rest)
        case UInt8(ascii: "n"): return (0x0A, false, rest)
        case UInt8(ascii: "r"): return (0x0D, false, rest)
        case UInt8(ascii: "t"): return (0x09, false, rest)
        case UInt8(ascii: "v"): return (0x0B, false, rest)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
            guard rest.count >= n else { return nil }
            var v: UInt32 = 0
            for digit in rest.prefix(n) {
                guard let x = unhex(digit) else { return nil }
                v = v << 4 | x
            }
            rest = rest.dropFirst(n)
            if e == UInt8(ascii: "x") { return (v, false, rest) }
            guard GoUTF8.isValid(v) else { return nil }
            return (v, true, rest)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var v = UInt32(e - UInt8(ascii: "0"))
            guard rest.count >= 2 else { return nil }
            for digit in rest.prefix(2) {
                guard digit >= UInt8(ascii: "0") && digit <= UInt8(ascii: "7") else { return nil }
                v = (v << 3) | UInt32(digit - UInt8(ascii: "0"))
            }
            rest = rest.dropFirst(2)
            guard v <= 255 else { return nil }
            return (v, false, rest)
        case 0x5C:
            return (0x5C, false, rest)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            guard e == q else { return nil }
            return (UInt32(e), false, rest)
        default:
            return nil
        }
    }

    /// `strconv.Unquote` for double-quoted and back-quoted literals.
    static func unquote(_ s: [UInt8]) -> [UInt8]? {
        guard s.count >= 2 else { return nil }
        let q = s[0]
        guard s[s.count - 1] == q else { return nil }
        if q == UInt8(ascii: "`") {
            let body = s[1..<(s.count - 1)]
            if body.contains(UInt8(ascii: "`")) { return nil }
            // Carriage returns are discarded from raw strings, as in Go source code.
            return body.filter { $0 != 0x0D }
        }
        guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else { return nil }
        var out: [UInt8] = []
        var rest = s[1...]
        while let c = rest.first, c != q {
            if c == 0x0A { return nil }
            guard let (r, multibyte, tail) = unquoteChar(rest, quote: q) else { return nil }
            rest = tail
            if r < 0x80 || !multibyte {
                out.append(UInt8(truncatingIfNeeded: r))
            } else {
                GoUTF8.append(r, to: &out)
            }
            if q == UInt8(ascii: "'") { break }
        }
        guard rest.first == q, rest.count == 1 else { return nil }
        return out
    }

    // MARK: Formatting integers

    /// Decimal text of a signed integer.
    static func formatInt(_ v: Int64) -> [UInt8] {
        Array(String(v).utf8)
    }

    /// Decimal text of an unsigned integer.
    static func formatUint(_ v: UInt64) -> [UInt8] {
        Array(String(v).utf8)
    }
}
