/// The tokenizer of Go's `text/template/parse` package, state machine for state machine.
///
/// Token boundaries decide where `{{-`/`-}}` trimming happens, which characters may follow
/// an identifier and what the parser reports, so the lexer reproduces Go's (Go 1.22+) rules
/// including its quirks: a trim marker needs a following space, `.5` is a number but `.x` a
/// field, newlines are allowed inside actions, and errors end the token stream.
struct Lexer {
    enum ItemType: Equatable {
        case error, bool, char, charConstant, comment, complex, assign, declare, eof
        case field, identifier, leftDelim, leftParen, number, pipe, rawString
        case rightDelim, rightParen, space, string, text, variable
        // Keywords
        case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end
        case ifKeyword, nilKeyword, range, template, with

        var isKeyword: Bool {
            switch self {
            case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end,
                 .ifKeyword, .nilKeyword, .range, .template, .with:
                return true
            default:
                return false
            }
        }
    }

    struct Item {
        var type: ItemType
        /// Byte offset of the token in the template.
        var pos: Int
        var value: [UInt8]
        /// Line number at the start of the token.
        var line: Int

        /// The token as Go's parser prints it in "unexpected ..." messages.
        var description: String {
            switch type {
            case .eof: return "EOF"
            case .error: return displayString(value)
            default:
                if type.isKeyword { return "<\(displayString(value))>" }
                if value.count > 10 {
                    return displayString(GoStrconv.quote(Lexer.truncatedToRunes(value, 10))) + "..."
                }
                return displayString(GoStrconv.quote(value))
            }
        }
    }

    /// The first `count` runes of `bytes` (`%.Nq` precision counts runes).
    static func truncatedToRunes(_ bytes: [UInt8], _ count: Int) -> [UInt8] {
        var i = 0
        var n = 0
        while i < bytes.count && n < count {
            i += GoUTF8.decode(bytes, at: i).width
            n += 1
        }
        return Array(bytes[..<i])
    }

    private static let keywords: [[UInt8]: ItemType] = [
        Array(".".utf8): .dot,
        Array("block".utf8): .block,
        Array("break".utf8): .breakKeyword,
        Array("continue".utf8): .continueKeyword,
        Array("define".utf8): .define,
        Array("else".utf8): .elseKeyword,
        Array("end".utf8): .end,
        Array("if".utf8): .ifKeyword,
        Array("range".utf8): .range,
        Array("nil".utf8): .nilKeyword,
        Array("template".utf8): .template,
        Array("with".utf8): .with,
    ]

    private static let leftDelim: [UInt8] = Array("{{".utf8)
    private static let rightDelim: [UInt8] = Array("}}".utf8)
    private static let leftComment: [UInt8] = Array("/*".utf8)
    private static let rightComment: [UInt8] = Array("*/".utf8)
    private static let eof: UInt32 = UInt32.max
    /// A trim marker is the minus plus the space next to it.
    private static let trimMarkerLength = 2

    private var input: [UInt8]
    private var pos = 0
    private var start = 0
    private var atEOF = false
    private var parenDepth = 0
    private var line = 1
    private var startLine = 1
    private var insideAction = false
    private var item = Item(type: .eof, pos: 0, value: [], line: 1)

    init(_ input: [UInt8]) {
        self.input = input
    }

    private enum State {
        case text, leftDelim, comment, rightDelim, insideAction, space, identifier
        case field, variable, char, number, quote, rawQuote
    }

    /// Returns the next token; after an error or EOF it keeps returning EOF.
    mutating func nextItem() -> Item {
        item = Item(type: .eof, pos: pos, value: Array("EOF".utf8), line: startLine)
        var state: State? = insideAction ? .insideAction : .text
        while let current = state {
            state = run(current)
        }
        return item
    }

    private mutating func run(_ state: State) -> State? {
        switch state {
        case .text: return lexText()
        case .leftDelim: return lexLeftDelim()
        case .comment: return lexComment()
        case .rightDelim: return lexRightDelim()
        case .insideAction: return lexInsideAction()
        case .space: return lexSpace()
        case .identifier: return lexIdentifier()
        case .field: return lexFieldOrVariable(.field)
        case .variable: return lexVariable()
        case .char: return lexChar()
        case .number: return lexNumber()
        case .quote: return lexQuote()
        case .rawQuote: return lexRawQuote()
        }
    }

    // MARK: Primitives

    private mutating func next() -> UInt32 {
        if pos >= input.count {
            atEOF = true
            return Self.eof
        }
        let (r, w) = GoUTF8.decode(input, at: pos)
        pos += w
        if r == 0x0A { line += 1 }
        return r
    }

    private mutating func peek() -> UInt32 {
        let r = next()
        backup()
        return r
    }

    private mutating func backup() {
        if !atEOF && pos > 0 {
            let (r, w) = GoUTF8.decodeLast(input, before: pos)
            pos -= w
            if r == 0x0A { line -= 1 }
        }
    }

    private mutating func thisItem(_ type: ItemType) -> Item {
        let value = Array(input[start..<pos])
        let result = Item(type: type, pos: start, value: value, line: startLine)
        start = pos
        startLine = line
        return result
    }

    private mutating func emit(_ type: ItemType) -> State? {
        item = thisItem(type)
        return nil
    }

    private mutating func ignore() {
        line += countNewlines(start, pos)
        start = pos
        startLine = line
    }

    private func countNewlines(_ from: Int, _ to: Int) -> Int {
        var n = 0
        var i = from
        while i < to {
            if input[i] == 0x0A { n += 1 }
            i += 1
        }
        return n
    }

    private mutating func accept(_ valid: String) -> Bool {
        let r = next()
        if r != Self.eof, let scalar = Unicode.Scalar(r), valid.unicodeScalars.contains(scalar) {
            return true
        }
        backup()
        return false
    }

    private mutating func acceptRun(_ valid: String) {
        while true {
            let r = next()
            if r != Self.eof, let scalar = Unicode.Scalar(r), valid.unicodeScalars.contains(scalar) { continue }
            break
        }
        backup()
    }

    private mutating func errorf(_ message: String) -> State? {
        item = Item(type: .error, pos: start, value: Array(message.utf8), line: startLine)
        start = 0
        pos = 0
        input = []
        atEOF = false
        return nil
    }

    private func hasPrefix(_ prefix: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= input.count else { return false }
        for (offset, byte) in prefix.enumerated() where input[index + offset] != byte { return false }
        return true
    }

    private func hasLeftTrimMarker(at index: Int) -> Bool {
        index + 1 < input.count && input[index] == UInt8(ascii: "-") && Self.isSpace(UInt32(input[index + 1]))
    }

    private func hasRightTrimMarker(at index: Int) -> Bool {
        index >= 0 && index + 1 < input.count && Self.isSpace(UInt32(input[index])) && input[index + 1] == UInt8(ascii: "-")
    }

    private func rightTrimLength(_ from: Int, _ to: Int) -> Int {
        var end = to
        while end > from && Self.isSpace(UInt32(input[end - 1])) { end -= 1 }
        return to - end
    }

    private func leftTrimLength(from index: Int) -> Int {
        var i = index
        while i < input.count && Self.isSpace(UInt32(input[i])) { i += 1 }
        return i - index
    }

    private func atRightDelim() -> (delim: Bool, trimSpaces: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix(Self.rightDelim, at: pos + Self.trimMarkerLength) {
            return (true, true)
        }
        if hasPrefix(Self.rightDelim, at: pos) { return (true, false) }
        return (false, false)
    }

    /// Space characters as Go's lexer defines them.
    static func isSpace(_ r: UInt32) -> Bool {
        r == 0x20 || r == 0x09 || r == 0x0D || r == 0x0A
    }

    static func isAlphaNumeric(_ r: UInt32) -> Bool {
        r == UInt32(UInt8(ascii: "_")) || GoUnicode.isLetter(r) || GoUnicode.isDigit(r)
    }

    /// `%#U` formatting of a rune for lexer error messages.
    private static func describeRune(_ r: UInt32) -> String {
        if r == eof { return "U+FFFFFFFFFFFFFFFF" }
        var hex = String(r, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        var text = "U+" + hex
        if r <= GoUTF8.maxRune && GoUnicode.isPrint(r) {
            text += " '" + displayString(GoUTF8.encode(r)) + "'"
        }
        return text
    }

    // MARK: States

    private mutating func lexText() -> State? {
        if let x = GoStrings.index(input, Self.leftDelim, from: pos) {
            if x > pos {
                pos = x
                var trimLength = 0
                let delimEnd = pos + Self.leftDelim.count
                if hasLeftTrimMarker(at: delimEnd) {
                    trimLength = rightTrimLength(start, pos)
                }
                pos -= trimLength
                line += countNewlines(start, pos)
                let text = thisItem(.text)
                pos += trimLength
                ignore()
                if !text.value.isEmpty {
                    item = text
                    return nil
                }
            }
            return .leftDelim
        }
        pos = input.count
        if pos > start {
            line += countNewlines(start, pos)
            return emit(.text)
        }
        return emit(.eof)
    }

    private mutating func lexLeftDelim() -> State? {
        pos += Self.leftDelim.count
        let trimSpace = hasLeftTrimMarker(at: pos)
        let afterMarker = trimSpace ? Self.trimMarkerLength : 0
        if hasPrefix(Self.leftComment, at: pos + afterMarker) {
            pos += afterMarker
            ignore()
            return .comment
        }
        let delim = thisItem(.leftDelim)
        insideAction = true
        pos += afterMarker
        ignore()
        parenDepth = 0
        item = delim
        return nil
    }

    private mutating func lexComment() -> State? {
        pos += Self.leftComment.count
        guard let x = GoStrings.index(input, Self.rightComment, from: pos) else {
            return errorf("unclosed comment")
        }
        pos = x + Self.rightComment.count
        let (delim, trimSpace) = atRightDelim()
        if !delim {
            return errorf("comment ends before closing delimiter")
        }
        line += countNewlines(start, pos)
        _ = thisItem(.comment)
        if trimSpace { pos += Self.trimMarkerLength }
        pos += Self.rightDelim.count
        if trimSpace { pos += leftTrimLength(from: pos) }
        ignore()
        return .text
    }

    private mutating func lexRightDelim() -> State? {
        let (_, trimSpace) = atRightDelim()
        if trimSpace {
            pos += Self.trimMarkerLength
            ignore()
        }
        pos += Self.rightDelim.count
        let delim = thisItem(.rightDelim)
        if trimSpace {
            pos += leftTrimLength(from: pos)
            ignore()
        }
        insideAction = false
        item = delim
        return nil
    }

    private mutating func lexInsideAction() -> State? {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 { return .rightDelim }
            return errorf("unclosed left paren")
        }
        let r = next()
        switch r {
        case Self.eof:
            return errorf("unclosed action")
        case _ where Self.isSpace(r):
            backup()
            return .space
        case 0x3D:  // =
            return emit(.assign)
        case 0x3A:  // :
            if next() != 0x3D { return errorf("expected :=") }
            return emit(.declare)
        case 0x7C:  // |
            return emit(.pipe)
        case 0x22:  // "
            return .quote
        case 0x60:  // `
            return .rawQuote
        case 0x24:  // $
            return .variable
        case 0x27:  // '
            return .char
        case 0x2E:  // .
            if pos < input.count {
                let c = input[pos]
                if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") { return .field }
            }
            backup()
            return .number
        case 0x2B, 0x2D, 0x30...0x39:  // + - digits
            backup()
            return .number
        case _ where Self.isAlphaNumeric(r):
            backup()
            return .identifier
        case 0x28:  // (
            parenDepth += 1
            return emit(.leftParen)
        case 0x29:  // )
            parenDepth -= 1
            if parenDepth < 0 { return errorf("unexpected right paren") }
            return emit(.rightParen)
        case _ where r <= 0x7F && GoUnicode.isPrint(r):
            return emit(.char)
        default:
            return errorf("unrecognized character in action: \(Self.describeRune(r))")
        }
    }

    private mutating func lexSpace() -> State? {
        var numSpaces = 0
        while Self.isSpace(peek()) {
            _ = next()
            numSpaces += 1
        }
        // A space may begin a trim-marked right delimiter (" -}}").
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(Self.rightDelim, at: pos - 1 + Self.trimMarkerLength) {
            backup()
            if numSpaces == 1 { return .rightDelim }
        }
        return emit(.space)
    }

    private mutating func lexIdentifier() -> State? {
        while true {
            let r = next()
            if Self.isAlphaNumeric(r) { continue }
            backup()
            let word = Array(input[start..<pos])
            if !atTerminator() { return errorf("bad character \(Self.describeRune(r))") }
            if let keyword = Self.keywords[word], keyword != .dot {
                return emit(keyword)
            }
            if word.first == UInt8(ascii: ".") { return emit(.field) }
            if word == Array("true".utf8) || word == Array("false".utf8) { return emit(.bool) }
            return emit(.identifier)
        }
    }

    private mutating func lexVariable() -> State? {
        if atTerminator() { return emit(.variable) }
        return lexFieldOrVariable(.variable)
    }

    private mutating func lexFieldOrVariable(_ type: ItemType) -> State? {
        if atTerminator() {
            return emit(type == .variable ? .variable : .dot)
        }
        var r: UInt32
        repeat {
            r = next()
        } while Self.isAlphaNumeric(r)
        backup()
        if !atTerminator() { return errorf("bad character \(Self.describeRune(r))") }
        return emit(type)
    }

    /// Whether the next character may follow an identifier.
    private mutating func atTerminator() -> Bool {
        let r = peek()
        if Self.isSpace(r) { return true }
        switch r {
        case Self.eof, 0x2E, 0x2C, 0x7C, 0x3A, 0x29, 0x28:  // . , | : ) (
            return true
        default:
            return hasPrefix(Self.rightDelim, at: pos)
        }
    }

    private mutating func lexChar() -> State? {
        while true {
            let r = next()
            if r == 0x5C {
                let escaped = next()
                if escaped != Self.eof && escaped != 0x0A { continue }
                return errorf("unterminated character constant")
            }
            if r == Self.eof || r == 0x0A { return errorf("unterminated character constant") }
            if r == 0x27 { break }
        }
        return emit(.charConstant)
    }

    private mutating func lexNumber() -> State? {
        if !scanNumber() {
            return errorf("bad number syntax: \(displayString(GoStrconv.quote(Array(input[start..<pos]))))")
        }
        let sign = peek()
        if sign == 0x2B || sign == 0x2D {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !scanNumber() || input[pos - 1] != UInt8(ascii: "i") {
                return errorf("bad number syntax: \(displayString(GoStrconv.quote(Array(input[start..<pos]))))")
            }
            return emit(.complex)
        }
        return emit(.number)
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if Self.isAlphaNumeric(peek()) {
            _ = next()
            return false
        }
        return true
    }

    private mutating func lexQuote() -> State? {
        while true {
            let r = next()
            if r == 0x5C {
                let escaped = next()
                if escaped != Self.eof && escaped != 0x0A { continue }
                return errorf("unterminated quoted string")
            }
            if r == Self.eof || r == 0x0A { return errorf("unterminated quoted string") }
            if r == 0x22 { break }
        }
        return emit(.string)
    }

    private mutating func lexRawQuote() -> State? {
        while true {
            let r = next()
            if r == Self.eof { return errorf("unterminated raw quoted string") }
            if r == 0x60 { break }
        }
        return emit(.rawString)
    }
}
