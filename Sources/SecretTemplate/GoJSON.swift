/// `encoding/json` as Sprig's `toJson`, `toPrettyJson`, `toRawJson` and `fromJson` use it.
///
/// Encoding matches `json.Marshal` byte for byte: map keys sorted, `<`, `>` and `&`
/// escaped as `\u003c` (except in raw mode), U+2028/U+2029 escaped, invalid UTF-8 replaced
/// by `\ufffd`, and floats in Go's shortest form (`1e+21`, `1e-7`). Decoding produces
/// `map[string]interface {}`, `[]interface {}`, `float64`, `string`, `bool` and nil.
enum GoJSON {
    /// Deepest nesting accepted in either direction. Go allows 10000 levels when decoding;
    /// the recursive implementation here stops earlier to protect the stack.
    static let maxDepth = 200

    enum EncodingError: Error {
        case unsupported(String)
    }

    // MARK: Encoding

    /// `json.Marshal` (`pretty`: `json.MarshalIndent(v, "", "  ")`).
    static func encode(_ value: Value, escapeHTML: Bool, pretty: Bool, byteLimit: Int) throws(TemplateFailure) -> Result<[UInt8], EncodingError> {
        var encoder = Encoder(escapeHTML: escapeHTML, pretty: pretty, byteLimit: byteLimit)
        do {
            try encoder.encode(value, depth: 0)
        } catch {
            switch error {
            case .failure(let encodingError): return .failure(encodingError)
            case .template(let failure): throw failure
            }
        }
        return .success(encoder.out)
    }

    private enum EncoderFailure: Error {
        case failure(EncodingError)
        case template(TemplateFailure)
    }

    private struct Encoder {
        let escapeHTML: Bool
        let pretty: Bool
        let byteLimit: Int
        var out: [UInt8] = []

        init(escapeHTML: Bool, pretty: Bool, byteLimit: Int) {
            self.escapeHTML = escapeHTML
            self.pretty = pretty
            self.byteLimit = byteLimit
        }

        private mutating func newline(_ depth: Int) {
            out.append(0x0A)
            out.append(contentsOf: [UInt8](repeating: 0x20, count: 2 * depth))
        }

        mutating func encode(_ value: Value, depth: Int) throws(EncoderFailure) {
            if depth > GoJSON.maxDepth {
                throw .template(.limit("value nesting exceeds \(GoJSON.maxDepth) levels"))
            }
            if out.count > byteLimit {
                throw .template(.limit("JSON text exceeds \(byteLimit) bytes"))
            }
            switch value {
            case .invalid, .nilInterface:
                out.append(contentsOf: Array("null".utf8))
            case .bool(let b):
                out.append(contentsOf: Array((b ? "true" : "false").utf8))
            case .int(let v, _):
                out.append(contentsOf: Array(String(v).utf8))
            case .float(let f):
                guard f.isFinite else {
                    throw .failure(.unsupported("json: unsupported value: \(f.isNaN ? "NaN" : (f < 0 ? "-Inf" : "+Inf"))"))
                }
                out.append(contentsOf: GoJSON.formatFloat(f))
            case .complex:
                throw .failure(.unsupported("json: unsupported type: complex128"))
            case .string(let s):
                GoJSON.appendString(s, escapeHTML: escapeHTML, to: &out)
            case .slice(let slice):
                if slice.isNil {
                    out.append(contentsOf: Array("null".utf8))
                    return
                }
                out.append(UInt8(ascii: "["))
                for (i, element) in slice.elements.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    if pretty { newline(depth + 1) }
                    try encode(element, depth: depth + 1)
                }
                if pretty && slice.count > 0 { newline(depth) }
                out.append(UInt8(ascii: "]"))
            case .map(let map):
                if map.isNil {
                    out.append(contentsOf: Array("null".utf8))
                    return
                }
                out.append(UInt8(ascii: "{"))
                for (i, entry) in map.sortedEntries.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    if pretty { newline(depth + 1) }
                    GoJSON.appendString(entry.key, escapeHTML: escapeHTML, to: &out)
                    out.append(UInt8(ascii: ":"))
                    if pretty { out.append(0x20) }
                    try encode(entry.value, depth: depth + 1)
                }
                if pretty && map.count > 0 { newline(depth) }
                out.append(UInt8(ascii: "}"))
            }
        }
    }

    /// The float format of `encoding/json`: `%f`-like between 1e-6 and 1e21, exponent
    /// form outside, with `e-07` shortened to `e-7`.
    static func formatFloat(_ f: Double) -> [UInt8] {
        let magnitude = abs(f)
        var useExponent = false
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) { useExponent = true }
        var text = GoFloatFormat.format(f, fmt: useExponent ? UInt8(ascii: "e") : UInt8(ascii: "f"), prec: -1)
        if useExponent {
            let n = text.count
            if n >= 4 && text[n - 4] == UInt8(ascii: "e") && text[n - 3] == UInt8(ascii: "-") && text[n - 2] == UInt8(ascii: "0") {
                text[n - 2] = text[n - 1]
                text.removeLast()
            }
        }
        return text
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string literal, escaped like `encoding/json`.
    static func appendString(_ s: [UInt8], escapeHTML: Bool, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var i = 0
        while i < s.count {
            let b = s[i]
            if b < 0x80 {
                let htmlSpecial = b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "&")
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && !(escapeHTML && htmlSpecial) {
                    out.append(b)
                    i += 1
                    continue
                }
                switch b {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""):
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                case 0x08: out.append(contentsOf: Array("\\b".utf8))
                case 0x0C: out.append(contentsOf: Array("\\f".utf8))
                case 0x0A: out.append(contentsOf: Array("\\n".utf8))
                case 0x0D: out.append(contentsOf: Array("\\r".utf8))
                case 0x09: out.append(contentsOf: Array("\\t".utf8))
                default:
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hexDigits[Int(b >> 4)])
                    out.append(hexDigits[Int(b & 0xF)])
                }
                i += 1
                continue
            }
            let (r, width) = GoUTF8.decode(s, at: i)
            if r == GoUTF8.runeError && width == 1 {
                out.append(contentsOf: Array("\\ufffd".utf8))
            } else if r == 0x2028 || r == 0x2029 {
                out.append(contentsOf: Array("\\u202".utf8))
                out.append(hexDigits[Int(r & 0xF)])
            } else {
                out.append(contentsOf: s[i..<(i + width)])
            }
            i += width
        }
        out.append(UInt8(ascii: "\""))
    }

    // MARK: Decoding

    /// `json.Unmarshal` into an `interface {}`. On a syntax error nothing is decoded; a
    /// number too large for float64 decodes as nil and is reported after decoding the rest.
    static func decode(_ data: [UInt8]) throws(TemplateFailure) -> (value: Value, error: String?) {
        var decoder = Decoder(data: data)
        do {
            let value = try decoder.parseDocument()
            return (value, decoder.deferredError)
        } catch {
            switch error {
            case .syntax(let message): return (.nilInterface, message)
            case .tooDeep: throw .limit("JSON nesting exceeds \(maxDepth) levels")
            }
        }
    }

    private enum DecodingFailure: Error {
        case syntax(String)
        case tooDeep
    }

    /// Recursive-descent parser with the error wording of Go's JSON scanner (minus the
    /// offending character, which may come from a secret).
    private struct Decoder {
        let data: [UInt8]
        var pos = 0
        var deferredError: String?

        init(data: [UInt8]) { self.data = data }

        private static let endOfInput = "unexpected end of JSON input"

        private mutating func skipSpace() {
            while pos < data.count {
                switch data[pos] {
                case 0x20, 0x09, 0x0A, 0x0D: pos += 1
                default: return
                }
            }
        }

        private func invalid(_ context: String) -> DecodingFailure {
            .syntax("invalid character \(context)")
        }

        mutating func parseDocument() throws(DecodingFailure) -> Value {
            skipSpace()
            let value = try parseValue(depth: 0)
            skipSpace()
            if pos < data.count { throw invalid("after top-level value") }
            return value
        }

        private mutating func parseValue(depth: Int) throws(DecodingFailure) -> Value {
            if depth >= GoJSON.maxDepth { throw .tooDeep }
            guard pos < data.count else { throw .syntax(Self.endOfInput) }
            switch data[pos] {
            case UInt8(ascii: "{"):
                return try parseObject(depth: depth)
            case UInt8(ascii: "["):
                return try parseArray(depth: depth)
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try parseNumber()
            case UInt8(ascii: "t"):
                try parseLiteral("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try parseLiteral("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try parseLiteral("null")
                return .nilInterface
            default:
                throw invalid("looking for beginning of value")
            }
        }

        private mutating func parseLiteral(_ word: String) throws(DecodingFailure) {
            for (i, expected) in word.utf8.enumerated() {
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                if data[pos] != expected {
                    throw invalid("in literal \(word) (expecting '\(String(word[word.index(word.startIndex, offsetBy: i)]))')")
                }
                pos += 1
            }
        }

        private mutating func parseObject(depth: Int) throws(DecodingFailure) -> Value {
            pos += 1
            var entries: [[UInt8]: Value] = [:]
            skipSpace()
            guard pos < data.count else { throw .syntax(Self.endOfInput) }
            if data[pos] == UInt8(ascii: "}") {
                pos += 1
                return .dict(entries)
            }
            while true {
                skipSpace()
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                guard data[pos] == UInt8(ascii: "\"") else { throw invalid("looking for beginning of object key string") }
                let key = try parseString()
                skipSpace()
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                guard data[pos] == UInt8(ascii: ":") else { throw invalid("after object key") }
                pos += 1
                skipSpace()
                entries[key] = try parseValue(depth: depth + 1).boxed
                skipSpace()
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                if data[pos] == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                if data[pos] == UInt8(ascii: "}") {
                    pos += 1
                    return .dict(entries)
                }
                throw invalid("after object key:value pair")
            }
        }

        private mutating func parseArray(depth: Int) throws(DecodingFailure) -> Value {
            pos += 1
            var elements: [Value] = []
            skipSpace()
            guard pos < data.count else { throw .syntax(Self.endOfInput) }
            if data[pos] == UInt8(ascii: "]") {
                pos += 1
                return .list(elements)
            }
            while true {
                skipSpace()
                elements.append(try parseValue(depth: depth + 1).boxed)
                skipSpace()
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                if data[pos] == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                if data[pos] == UInt8(ascii: "]") {
                    pos += 1
                    return .list(elements)
                }
                throw invalid("after array element")
            }
        }

        private static func hexValue(_ c: UInt8) -> UInt32? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }

        private mutating func readHex4() throws(DecodingFailure) -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                guard let digit = Self.hexValue(data[pos]) else { throw invalid("in \\u hexadecimal character escape") }
                v = v << 4 | digit
                pos += 1
            }
            return v
        }

        /// A string literal; invalid UTF-8 and unpaired surrogates become U+FFFD.
        private mutating func parseString() throws(DecodingFailure) -> [UInt8] {
            pos += 1
            var out: [UInt8] = []
            while true {
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                let c = data[pos]
                if c == UInt8(ascii: "\"") {
                    pos += 1
                    return out
                }
                if c < 0x20 { throw invalid("in string literal") }
                if c == UInt8(ascii: "\\") {
                    pos += 1
                    guard pos < data.count else { throw .syntax(Self.endOfInput) }
                    let e = data[pos]
                    pos += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var r = try readHex4()
                        if r >= 0xD800 && r < 0xE000 {
                            // A surrogate: combine with a following \uXXXX low surrogate.
                            var combined: UInt32? = nil
                            if r < 0xDC00, pos + 6 <= data.count, data[pos] == UInt8(ascii: "\\"), data[pos + 1] == UInt8(ascii: "u") {
                                let saved = pos
                                pos += 2
                                if let low = try? readHex4(), low >= 0xDC00 && low < 0xE000 {
                                    combined = 0x10000 + ((r - 0xD800) << 10) + (low - 0xDC00)
                                } else {
                                    pos = saved
                                }
                            }
                            r = combined ?? GoUTF8.runeError
                        }
                        GoUTF8.append(r, to: &out)
                    default:
                        throw invalid("in string escape code")
                    }
                    continue
                }
                if c < 0x80 {
                    out.append(c)
                    pos += 1
                    continue
                }
                let (r, width) = GoUTF8.decode(data, at: pos)
                if r == GoUTF8.runeError && width == 1 {
                    GoUTF8.append(GoUTF8.runeError, to: &out)
                } else {
                    out.append(contentsOf: data[pos..<(pos + width)])
                }
                pos += width
            }
        }

        private mutating func parseNumber() throws(DecodingFailure) -> Value {
            let start = pos
            func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
            if data[pos] == UInt8(ascii: "-") {
                pos += 1
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                guard isDigit(data[pos]) else { throw invalid("in numeric literal") }
            }
            if data[pos] == UInt8(ascii: "0") {
                pos += 1
            } else {
                while pos < data.count && isDigit(data[pos]) { pos += 1 }
            }
            if pos < data.count && data[pos] == UInt8(ascii: ".") {
                pos += 1
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                guard isDigit(data[pos]) else { throw invalid("after decimal point in numeric literal") }
                while pos < data.count && isDigit(data[pos]) { pos += 1 }
            }
            if pos < data.count && (data[pos] == UInt8(ascii: "e") || data[pos] == UInt8(ascii: "E")) {
                pos += 1
                if pos < data.count && (data[pos] == UInt8(ascii: "+") || data[pos] == UInt8(ascii: "-")) { pos += 1 }
                guard pos < data.count else { throw .syntax(Self.endOfInput) }
                guard isDigit(data[pos]) else { throw invalid("in exponent of numeric literal") }
                while pos < data.count && isDigit(data[pos]) { pos += 1 }
            }
            switch GoStrconv.parseFloat(Array(data[start..<pos])) {
            case .success(let f):
                return .float(f)
            case .failure:
                if deferredError == nil {
                    deferredError = "json: cannot unmarshal number into Go value of type float64"
                }
                return .nilInterface
            }
        }
    }
}
