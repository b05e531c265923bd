/// Sprig's string functions (`strings.go`, plus the `goutils` and `xstrings` helpers they
/// wrap). Argument order follows Sprig's "pipeline-friendly" convention: the subject string
/// comes last, so `.password | trimPrefix "x"` works.
enum SprigStrings {
    static let functions: [String: TemplateFunction] = [
        "hello": TemplateFunction([]) { _, _ in .string("Hello!") },
        "abbrev": TemplateFunction([.int, .string]) { _, a in .string(abbreviate(a[1].str, offset: 0, width: Int(a[0].integer), sprigAbbrev: true)) },
        "abbrevboth": TemplateFunction([.int, .int, .string]) { _, a in
            let left = Int(a[0].integer), right = Int(a[1].integer)
            if right < 4 || (left > 0 && right < 7) { return a[2] }
            return .string(abbreviate(a[2].str, offset: left, width: right, sprigAbbrev: false))
        },
        "trunc": TemplateFunction([.int, .string]) { _, a in .string(truncate(a[1].str, Int(a[0].integer))) },
        "trim": TemplateFunction([.string]) { _, a in .string(GoStrings.trimSpace(a[0].str)) },
        "upper": TemplateFunction([.string]) { _, a in .string(GoStrings.toUpper(a[0].str)) },
        "lower": TemplateFunction([.string]) { _, a in .string(GoStrings.toLower(a[0].str)) },
        "title": TemplateFunction([.string]) { _, a in .string(GoStrings.title(a[0].str)) },
        "untitle": TemplateFunction([.string]) { _, a in .string(uncapitalize(a[0].str)) },
        "substr": TemplateFunction([.int, .int, .string]) { _, a throws(TemplateFailure) in
            .string(try substring(Int(a[0].integer), Int(a[1].integer), a[2].str))
        },
        "repeat": TemplateFunction([.int, .string]) { context, a throws(TemplateFailure) in
            .string(try repeated(a[1].str, count: a[0].integer, context))
        },
        "trimall": TemplateFunction([.string, .string]) { _, a in .string(GoStrings.trim(a[1].str, cutset: a[0].str)) },
        "trimAll": TemplateFunction([.string, .string]) { _, a in .string(GoStrings.trim(a[1].str, cutset: a[0].str)) },
        "trimSuffix": TemplateFunction([.string, .string]) { _, a in .string(GoStrings.trimSuffix(a[1].str, a[0].str)) },
        "trimPrefix": TemplateFunction([.string, .string]) { _, a in .string(GoStrings.trimPrefix(a[1].str, a[0].str)) },
        "nospace": TemplateFunction([.string]) { _, a in .string(deleteWhiteSpace(a[0].str)) },
        "initials": TemplateFunction([.string]) { _, a in .string(initials(a[0].str)) },
        "randAlphaNum": TemplateFunction([.int]) { context, a throws(TemplateFailure) in
            .string(try randomString(count: a[0].integer, from: alphanumericCharacters, context))
        },
        "randAlpha": TemplateFunction([.int]) { context, a throws(TemplateFailure) in
            .string(try randomString(count: a[0].integer, from: alphabeticCharacters, context))
        },
        "randAscii": TemplateFunction([.int]) { context, a throws(TemplateFailure) in
            .string(try randomString(count: a[0].integer, from: Array(0x20...0x7E), context))
        },
        "randNumeric": TemplateFunction([.int]) { context, a throws(TemplateFailure) in
            .string(try randomString(count: a[0].integer, from: Array(UInt8(ascii: "0")...UInt8(ascii: "9")), context))
        },
        "swapcase": TemplateFunction([.string]) { _, a in .string(swapCase(a[0].str)) },
        "shuffle": TemplateFunction([.string]) { _, a in
            var runes = GoUTF8.runes(a[0].str)
            runes.shuffle()
            return .string(GoUTF8.string(fromRunes: runes))
        },
        "snakecase": TemplateFunction([.string]) { _, a in .string(CaseConversion.lowerCaseWords(a[0].str, connector: UInt32(UInt8(ascii: "_")))) },
        "kebabcase": TemplateFunction([.string]) { _, a in .string(CaseConversion.lowerCaseWords(a[0].str, connector: UInt32(UInt8(ascii: "-")))) },
        "camelcase": TemplateFunction([.string]) { _, a in .string(CaseConversion.pascalCase(a[0].str)) },
        "wrap": TemplateFunction([.int, .string]) { context, a throws(TemplateFailure) in
            .string(try wrap(a[1].str, width: Int(a[0].integer), newline: [], wrapLongWords: false, context))
        },
        "wrapWith": TemplateFunction([.int, .string, .string]) { context, a throws(TemplateFailure) in
            .string(try wrap(a[2].str, width: Int(a[0].integer), newline: a[1].str, wrapLongWords: true, context))
        },
        "contains": TemplateFunction([.string, .string]) { _, a in .bool(GoStrings.contains(a[1].str, a[0].str)) },
        "hasPrefix": TemplateFunction([.string, .string]) { _, a in .bool(GoStrings.hasPrefix(a[1].str, a[0].str)) },
        "hasSuffix": TemplateFunction([.string, .string]) { _, a in .bool(GoStrings.hasSuffix(a[1].str, a[0].str)) },
        "quote": TemplateFunction([], variadic: .any) { context, a throws(TemplateFailure) in
            var parts: [[UInt8]] = []
            for value in a where !value.isNilArgument {
                parts.append(GoStrconv.quote(try Cast.string(value, context)))
            }
            return .string(GoStrings.join(parts, separator: [0x20]))
        },
        "squote": TemplateFunction([], variadic: .any) { context, a throws(TemplateFailure) in
            var parts: [[UInt8]] = []
            for value in a where !value.isNilArgument {
                parts.append([UInt8(ascii: "'")] + (try GoFormatter.formatValue(value, byteLimit: context.maxValueSize)) + [UInt8(ascii: "'")])
            }
            return .string(GoStrings.join(parts, separator: [0x20]))
        },
        "cat": TemplateFunction([], variadic: .any) { context, a throws(TemplateFailure) in
            var parts: [[UInt8]] = []
            for value in a where !value.isNilArgument {
                parts.append(try GoFormatter.formatValue(value, byteLimit: context.maxValueSize))
            }
            let joined = GoStrings.join(parts, separator: [0x20])
            try context.checkSize(joined.count)
            return .string(joined)
        },
        "indent": TemplateFunction([.int, .string]) { context, a throws(TemplateFailure) in
            .string(try indent(a[1].str, spaces: a[0].integer, context))
        },
        "nindent": TemplateFunction([.int, .string]) { context, a throws(TemplateFailure) in
            .string([0x0A] + (try indent(a[1].str, spaces: a[0].integer, context)))
        },
        "replace": TemplateFunction([.string, .string, .string]) { context, a throws(TemplateFailure) in
            let old = a[0].str, new = a[1].str, source = a[2].str
            if new.count > old.count {
                let growth = GoStrings.count(source, old) * (new.count - old.count)
                try context.checkSize(source.count + growth)
            }
            return .string(GoStrings.replaceAll(source, old, new))
        },
        "plural": TemplateFunction([.string, .string, .int]) { _, a in a[2].integer == 1 ? a[0] : a[1] },
        "split": TemplateFunction([.string, .string]) { _, a in
            var entries: [[UInt8]: Value] = [:]
            for (i, part) in GoStrings.split(a[1].str, a[0].str).enumerated() {
                entries[Array("_\(i)".utf8)] = .string(part)
            }
            return .map(GoMap(entries: entries, valueType: .string))
        },
        "splitn": TemplateFunction([.string, .int, .string]) { _, a in
            var entries: [[UInt8]: Value] = [:]
            for (i, part) in GoStrings.split(a[2].str, a[0].str, limit: Int(a[1].integer)).enumerated() {
                entries[Array("_\(i)".utf8)] = .string(part)
            }
            return .map(GoMap(entries: entries, valueType: .string))
        },
        "splitList": TemplateFunction([.string, .string]) { _, a in
            .stringList(GoStrings.split(a[1].str, a[0].str))
        },
    ]

    // MARK: Implementations

    /// `trunc`: a negative count keeps the end of the string.
    static func truncate(_ s: [UInt8], _ c: Int) -> [UInt8] {
        if c < 0 && s.count + c > 0 { return Array(s[(s.count + c)...]) }
        if c >= 0 && s.count > c { return Array(s[..<c]) }
        return s
    }

    /// `substr`: byte offsets; a negative start means "from the beginning", a negative or
    /// too large end means "to the end". Out-of-range slices panic in Go, reported here as
    /// the same runtime error (without the offending numbers).
    static func substring(_ start: Int, _ end: Int, _ s: [UInt8]) throws(TemplateFailure) -> [UInt8] {
        if start < 0 {
            guard end >= 0 && end <= s.count else { throw functionError("runtime error: slice bounds out of range") }
            return Array(s[..<end])
        }
        if end < 0 || end > s.count {
            guard start <= s.count else { throw functionError("runtime error: slice bounds out of range") }
            return Array(s[start...])
        }
        guard start <= end else { throw functionError("runtime error: slice bounds out of range") }
        return Array(s[start..<end])
    }

    /// `strings.Repeat`, bounded by the value size limit.
    static func repeated(_ s: [UInt8], count: Int64, _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        if count < 0 { throw functionError("strings: negative Repeat count") }
        if s.isEmpty || count == 0 { return [] }
        let (total, overflow) = Int64(s.count).multipliedReportingOverflow(by: count)
        if overflow || total > Int64(context.maxValueSize) {
            throw .limit("repeat would build a value larger than \(context.maxValueSize) bytes")
        }
        try context.checkSize(Int(total))
        // Double the copied prefix (as Go's strings.Repeat does) so a large count costs a
        // handful of bulk copies rather than one append per repetition.
        let length = Int(total)
        var out = s
        out.reserveCapacity(length)
        while out.count < length {
            out.append(contentsOf: out[0..<min(out.count, length - out.count)])
        }
        return out
    }

    static func indent(_ s: [UInt8], spaces: Int64, _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        let pad = try repeated([0x20], count: spaces, context)
        let lines = GoStrings.count(s, [0x0A]) + 1
        try context.checkSize(s.count + lines * pad.count)
        return pad + GoStrings.replaceAll(s, [0x0A], [0x0A] + pad)
    }

    /// goutils `AbbreviateFull` (Sprig calls it for `abbrev` with offset 0). Works on bytes.
    static func abbreviate(_ s: [UInt8], offset requestedOffset: Int, width maxWidth: Int, sprigAbbrev: Bool) -> [UInt8] {
        if sprigAbbrev && maxWidth < 4 { return s }
        if s.isEmpty { return [] }
        if maxWidth < 4 { return [] }
        if s.count <= maxWidth { return s }
        // Go's int arithmetic wraps on overflow; extreme offsets and widths must land where
        // Go's do (and never trap), hence the wrapping operators.
        var offset = requestedOffset
        if offset > s.count { offset = s.count }
        if s.count &- offset < maxWidth &- 3 { offset = s.count &- (maxWidth &- 3) }
        let marker: [UInt8] = Array("...".utf8)
        if offset <= 4 { return Array(s[..<(maxWidth - 3)]) + marker }
        if maxWidth < 7 { return [] }
        if offset &+ maxWidth &- 3 < s.count {
            return marker + abbreviate(Array(s[offset...]), offset: 0, width: maxWidth - 3, sprigAbbrev: false)
        }
        return marker + Array(s[(s.count - (maxWidth - 3))...])
    }

    /// goutils `DeleteWhiteSpace`. It examines single *bytes* and re-encodes each kept byte
    /// as the rune of the same number, so non-ASCII text is mangled whenever anything is
    /// removed — reproduced as is.
    static func deleteWhiteSpace(_ s: [UInt8]) -> [UInt8] {
        if s.isEmpty { return s }
        var out: [UInt8] = []
        var kept = 0
        for b in s where !GoUnicode.isSpace(UInt32(b)) {
            GoUTF8.append(UInt32(b), to: &out)
            kept += 1
        }
        return kept == s.count ? s : out
    }

    /// goutils `Initials`: first byte of each white-space separated word (bytewise, like
    /// `DeleteWhiteSpace`).
    static func initials(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var lastWasGap = true
        for b in s {
            if GoUnicode.isSpace(UInt32(b)) {
                lastWasGap = true
            } else if lastWasGap {
                GoUTF8.append(UInt32(b), to: &out)
                lastWasGap = false
            }
        }
        return out
    }

    /// goutils `Uncapitalize`: lower-cases the first rune of each white-space separated word.
    static func uncapitalize(_ s: [UInt8]) -> [UInt8] {
        if s.isEmpty { return s }
        var runes = GoUTF8.runes(s)
        var next = true
        for i in runes.indices {
            if GoUnicode.isSpace(runes[i]) {
                next = true
            } else if next {
                runes[i] = GoUnicode.toLower(runes[i])
                next = false
            }
        }
        return GoUTF8.string(fromRunes: runes)
    }

    /// goutils `SwapCase`: upper/title to lower; lower to title after white space, upper
    /// elsewhere.
    static func swapCase(_ s: [UInt8]) -> [UInt8] {
        if s.isEmpty { return s }
        var runes = GoUTF8.runes(s)
        var whitespace = true
        for i in runes.indices {
            let r = runes[i]
            if GoUnicode.isUpper(r) || GoUnicode.isTitle(r) {
                runes[i] = GoUnicode.toLower(r)
                whitespace = false
            } else if GoUnicode.isLower(r) {
                runes[i] = whitespace ? GoUnicode.toTitle(r) : GoUnicode.toUpper(r)
                whitespace = false
            } else {
                whitespace = GoUnicode.isSpace(r)
            }
        }
        return GoUTF8.string(fromRunes: runes)
    }

    /// goutils `WrapCustom`: breaks at spaces so lines fit `width` bytes; long words are
    /// split only when `wrapLongWords`.
    static func wrap(_ s: [UInt8], width requested: Int, newline requestedNewline: [UInt8], wrapLongWords: Bool, _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        if s.isEmpty { return [] }
        let newline = requestedNewline.isEmpty ? [UInt8(0x0A)] : requestedNewline
        let width = max(requested, 1)
        // At most one separator per input byte.
        try context.checkSize(s.count + s.count * newline.count)
        var out: [UInt8] = []
        var offset = 0
        while s.count - offset > width {
            if s[offset] == 0x20 {
                offset += 1
                continue
            }
            let end = width + offset + 1
            let window = Array(s[offset..<end])
            if let space = GoStrings.lastIndex(window, [0x20]) {
                let wrapAt = offset + space
                out.append(contentsOf: s[offset..<wrapAt])
                out.append(contentsOf: newline)
                offset = wrapAt + 1
            } else if wrapLongWords {
                out.append(contentsOf: s[offset..<(offset + width)])
                out.append(contentsOf: newline)
                offset += width
            } else {
                let from = width + offset
                if let space = GoStrings.index(s, [0x20], from: from) {
                    out.append(contentsOf: s[offset..<space])
                    out.append(contentsOf: newline)
                    offset = space + 1
                } else {
                    out.append(contentsOf: s[offset...])
                    offset = s.count
                }
            }
        }
        out.append(contentsOf: s[offset...])
        return out
    }

    static let alphanumericCharacters: [UInt8] =
        Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + Array(UInt8(ascii: "A")...UInt8(ascii: "Z")) + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))
    static let alphabeticCharacters: [UInt8] =
        Array(UInt8(ascii: "A")...UInt8(ascii: "Z")) + Array(UInt8(ascii: "a")...UInt8(ascii: "z"))

    /// goutils `CryptoRandom*`: uniform choices from the system's secure generator. A
    /// negative count is an error that Sprig swallows, giving "".
    static func randomString(count: Int64, from alphabet: [UInt8], _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        if count <= 0 { return [] }
        if count > Int64(context.maxValueSize) {
            throw .limit("a random string would exceed \(context.maxValueSize) bytes")
        }
        try context.checkSize(Int(count))
        var generator = SystemRandomNumberGenerator()
        return (0..<Int(count)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
    }
}

/// `huandu/xstrings` v1.5 case conversions used by `snakecase`, `kebabcase` and `camelcase`.
enum CaseConversion {
    private static func isConnector(_ r: UInt32) -> Bool {
        r == UInt32(UInt8(ascii: "-")) || r == UInt32(UInt8(ascii: "_")) || GoUnicode.isSpace(r)
    }

    /// A letter that is not a CJK ideograph.
    private static func isAlphabet(_ r: UInt32) -> Bool {
        guard GoUnicode.isLetter(r) else { return false }
        switch r {
        case ..<0x3400: return true
        case 0x4E00...0x9FCC, 0x3400...0x4D85, 0x20000...0x2B81D: return false
        default: return true
        }
    }

    /// `ToPascalCase` ("some_words" -> "SomeWords"), what Sprig 3.3's `camelcase` calls.
    static func pascalCase(_ s: [UInt8]) -> [UInt8] {
        if s.isEmpty { return [] }
        var out: [UInt8] = []
        var isFirstRuneUpper = false
        var r0: UInt32 = 0
        var r1: UInt32 = 0
        var size = 0
        var i = 0
        // Leading connectors are kept.
        while i < s.count {
            (r0, size) = GoUTF8.decode(s, at: i)
            i += size
            if !isConnector(r0) {
                isFirstRuneUpper = GoUnicode.isUpper(r0)
                r0 = GoUnicode.toUpper(r0)
                break
            }
            GoUTF8.append(r0, to: &out)
        }
        if i >= s.count {
            if size != 0 { GoUTF8.append(r0, to: &out) }
            return out
        }
        while i < s.count {
            r1 = r0
            (r0, size) = GoUTF8.decode(s, at: i)
            i += size
            if isConnector(r0) && isConnector(r1) {
                GoUTF8.append(r1, to: &out)
                continue
            }
            if isConnector(r1) {
                isFirstRuneUpper = GoUnicode.isUpper(r0)
                r0 = GoUnicode.toUpper(r0)
            } else {
                if isFirstRuneUpper {
                    if GoUnicode.isUpper(r0) {
                        r0 = GoUnicode.toLower(r0)
                    } else {
                        isFirstRuneUpper = false
                    }
                }
                GoUTF8.append(r1, to: &out)
            }
        }
        GoUTF8.append(r0, to: &out)
        return out
    }

    private enum WordType { case invalid, number, upperCase, alphabet, connector, punct, other }

    /// The first valid rune of `s[from...]`, skipping invalid bytes; `size` counts them too.
    private static func nextValidRune(_ s: [UInt8], from: Int, previous: UInt32) -> (rune: UInt32, size: Int) {
        var i = from
        var size = 0
        while i < s.count {
            let (r, w) = GoUTF8.decode(s, at: i)
            size += w
            if !(r == GoUTF8.runeError && w == 1) && r != GoUTF8.runeError { return (r, size) }
            i += w
        }
        return (previous, size)
    }

    /// Splits the next word off `s[start...]`; returns its type and end offset.
    private static func nextWord(_ s: [UInt8], from start: Int) -> (type: WordType, end: Int) {
        if start >= s.count { return (.invalid, start) }
        var offset = start
        var remaining = start
        var (r, size) = nextValidRune(s, from: remaining, previous: GoUTF8.runeError)
        offset += size
        if r == GoUTF8.runeError { return (.invalid, offset) }
        func advance(while condition: (UInt32) -> Bool) {
            while remaining < s.count {
                let next = nextValidRune(s, from: remaining, previous: r)
                r = next.rune
                size = next.size
                if !condition(r) { break }
                offset += size
                remaining += size
            }
        }
        var type: WordType
        if isConnector(r) {
            type = .connector
            remaining += size
            advance(while: isConnector)
        } else if GoUnicode.isPunct(r) {
            type = .punct
            remaining += size
            advance(while: GoUnicode.isPunct)
        } else if GoUnicode.isUpper(r) {
            type = .upperCase
            remaining += size
            if remaining < s.count {
                (r, size) = nextValidRune(s, from: remaining, previous: r)
                if GoUnicode.isUpper(r) {
                    var prevSize = size
                    offset += size
                    remaining += size
                    while remaining < s.count {
                        (r, size) = nextValidRune(s, from: remaining, previous: r)
                        if !GoUnicode.isUpper(r) { break }
                        prevSize = size
                        offset += size
                        remaining += size
                    }
                    // "HTTPStatus" splits into "HTTP" and "Status".
                    if remaining < s.count && isAlphabet(r) {
                        offset -= prevSize
                        remaining = offset
                    }
                } else if isAlphabet(r) {
                    offset += size
                    remaining += size
                    advance { isAlphabet($0) && !GoUnicode.isUpper($0) }
                }
            }
        } else if isAlphabet(r) {
            type = .alphabet
            remaining += size
            advance { isAlphabet($0) && !GoUnicode.isUpper($0) }
        } else if GoUnicode.isNumber(r) {
            type = .number
            remaining += size
            advance(while: GoUnicode.isNumber)
        } else {
            type = .other
            remaining += size
            while remaining < s.count {
                (r, size) = nextValidRune(s, from: remaining, previous: r)
                if size == 0 || isConnector(r) || isAlphabet(r) || GoUnicode.isNumber(r) || GoUnicode.isPunct(r) { break }
                offset += size
                remaining += size
            }
        }
        return (type, offset)
    }

    private static func appendLower(_ out: inout [UInt8], _ type: WordType, _ word: ArraySlice<UInt8>, connector: UInt32) {
        if type != .upperCase && type != .connector {
            out.append(contentsOf: word)
            return
        }
        let bytes = Array(word)
        var i = 0
        while i < bytes.count {
            let (r, w) = GoUTF8.decode(bytes, at: i)
            i += w
            if isConnector(r) {
                GoUTF8.append(connector, to: &out)
            } else if GoUnicode.isUpper(r) {
                GoUTF8.append(GoUnicode.toLower(r), to: &out)
            } else {
                GoUTF8.append(r, to: &out)
            }
        }
    }

    /// `ToSnakeCase` / `ToKebabCase`: words split at case changes and separators, lower-cased
    /// and joined with `connector` ("HTTPServer" -> "http_server").
    static func lowerCaseWords(_ s: [UInt8], connector: UInt32) -> [UInt8] {
        if s.isEmpty { return [] }
        var out: [UInt8] = []
        var start = 0
        var (type, end) = nextWord(s, from: start)
        func take() -> ArraySlice<UInt8> { s[start..<end] }
        func advance() {
            start = end
            (type, end) = nextWord(s, from: start)
        }
        while end < s.count {
            if type != .connector { appendLower(&out, type, take(), connector: connector) }
            let previous = type
            let last = take()
            advance()
            switch previous {
            case .number:
                while type == .alphabet || type == .number {
                    appendLower(&out, type, take(), connector: connector)
                    advance()
                }
                if type != .invalid && type != .punct && type != .connector {
                    GoUTF8.append(connector, to: &out)
                }
            case .connector:
                appendLower(&out, previous, last, connector: connector)
            case .punct:
                break
            default:
                if type != .number {
                    if type != .connector && type != .punct { GoUTF8.append(connector, to: &out) }
                    break
                }
                if end >= s.count { break }
                let number = take()
                advance()
                // A number followed by letters belongs to the previous word ("Bld4Floor").
                if type != .alphabet {
                    appendLower(&out, .number, number, connector: connector)
                    if type != .connector && type != .punct { GoUTF8.append(connector, to: &out) }
                    break
                }
                // Lower-case letters after a number start a new word ("HTTP2xx" -> "http_2xx").
                GoUTF8.append(connector, to: &out)
                appendLower(&out, .number, number, connector: connector)
                while type == .alphabet || type == .number {
                    appendLower(&out, type, take(), connector: connector)
                    advance()
                }
                if type != .invalid && type != .connector && type != .punct {
                    GoUTF8.append(connector, to: &out)
                }
            }
        }
        appendLower(&out, type, take(), connector: connector)
        return out
    }
}
