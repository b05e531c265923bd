/// The syntax tree and parser of Go's `regexp/syntax` (Perl flavour, as `regexp.Compile`
/// uses it).
///
/// Go regular expressions are RE2: no backreferences or look-around, `$` without `(?m)`
/// matches only at the very end, `\d \s \w \b` are ASCII-only, and a repetition count may
/// not exceed 1000. Patterns Go rejects are rejected here with the same error codes
/// (without echoing the pattern, which may come from a secret).
indirect enum RegexNode {
    case empty
    case literal(UInt32, foldCase: Bool)
    case charClass(RegexCharClass)
    case anyChar
    case anyCharNotNewline
    case assertion(RegexAssertion)
    case capture(index: Int, RegexNode)
    case concat([RegexNode])
    case alternate([RegexNode])
    case star(RegexNode, greedy: Bool)
    case plus(RegexNode, greedy: Bool)
    case quest(RegexNode, greedy: Bool)
    case repeatRange(RegexNode, min: Int, max: Int, greedy: Bool)

    /// Instructions the compiled form needs, saturating, so oversized expansions such as
    /// `(a{1000}){1000}` are rejected before they are built.
    var programSize: Int {
        switch self {
        case .empty: return 0
        case .literal, .charClass, .anyChar, .anyCharNotNewline, .assertion: return 1
        case .capture(_, let sub): return sub.programSize &+ 2
        case .concat(let subs): return subs.reduce(0) { $0 &+ $1.programSize }
        case .alternate(let subs): return subs.reduce(subs.count) { $0 &+ $1.programSize }
        case .star(let sub, _), .plus(let sub, _), .quest(let sub, _): return sub.programSize &+ 1
        case .repeatRange(let sub, let min, let max, _):
            let copies = max < 0 ? min + 1 : max
            let (product, overflow) = (sub.programSize &+ 1).multipliedReportingOverflow(by: Swift.max(copies, 1))
            return overflow ? Int.max : product
        }
    }
}

/// Zero-width assertions (`syntax.EmptyOp`).
enum RegexAssertion {
    case beginLine, endLine, beginText, endText, wordBoundary, noWordBoundary
}

/// A bracketed or escaped character class: a union of items, optionally negated, matched
/// case-insensitively through case-folding orbits when `foldCase` is set.
struct RegexCharClass {
    enum Item {
        case ranges([ClosedRange<UInt32>], negated: Bool)
        case categories([Unicode.GeneralCategory], negated: Bool)
        case anything(negated: Bool)
    }

    var items: [Item] = []
    var negated = false
    var foldCase = false

    func contains(_ r: UInt32) -> Bool {
        var candidates: [UInt32] = [r]
        if foldCase { candidates = GoUnicode.foldOrbit(r) }
        for item in items {
            let inItem: Bool
            switch item {
            case .ranges(let ranges, let negated):
                let any = candidates.contains { c in ranges.contains { $0.contains(c) } }
                inItem = negated ? !any : any
            case .categories(let categories, let negated):
                let any = candidates.contains { c in
                    guard let scalar = Unicode.Scalar(c) else { return false }
                    return categories.contains(scalar.properties.generalCategory)
                }
                inItem = negated ? !any : any
            case .anything(let negated):
                inItem = !negated
            }
            if inItem { return !negated }
        }
        return negated
    }
}

/// `syntax.Error`: the error code only.
struct RegexError: Error {
    let code: String

    var message: String { "error parsing regexp: \(code)" }

    static let missingBracket = RegexError(code: "missing closing ]")
    static let missingParen = RegexError(code: "missing closing )")
    static let unexpectedParen = RegexError(code: "unexpected )")
    static let missingRepeatArgument = RegexError(code: "missing argument to repetition operator")
    static let invalidRepeatOp = RegexError(code: "invalid nested repetition operator")
    static let invalidRepeatSize = RegexError(code: "invalid repeat count")
    static let invalidEscape = RegexError(code: "invalid escape sequence")
    static let invalidCharRange = RegexError(code: "invalid character class range")
    static let invalidCharClass = RegexError(code: "invalid character class")
    static let invalidNamedCapture = RegexError(code: "invalid named capture")
    static let invalidPerlOp = RegexError(code: "invalid or unsupported Perl syntax")
    static let invalidUTF8 = RegexError(code: "invalid UTF-8")
    static let trailingBackslash = RegexError(code: "trailing backslash at end of expression")
    static let tooLarge = RegexError(code: "expression too large")
    static let nestingDepth = RegexError(code: "expression nests too deeply")
}

/// The parsed form of a pattern.
struct RegexSyntaxTree {
    let root: RegexNode
    /// Number of capturing groups (not counting the whole match).
    let captureCount: Int
    /// Name of each group; index 0 is the whole match and always "".
    let captureNames: [[UInt8]]
}

/// Recursive-descent parser for Go's Perl-flavoured syntax.
struct RegexParser {
    private struct Flags {
        var foldCase = false
        var multiLine = false
        var dotNewline = false
        var ungreedy = false
    }

    /// Deepest group nesting accepted (Go allows 1000; recursion here is on the stack).
    static let maxNesting = 200

    private let runes: [UInt32]
    private var pos = 0
    private var flags = Flags()
    private var captureCount = 0
    private var names: [[UInt8]] = [[]]
    private var depth = 0

    static func parse(_ pattern: [UInt8]) throws(RegexError) -> RegexSyntaxTree {
        guard GoUTF8.isValidUTF8(pattern) else { throw .invalidUTF8 }
        var parser = RegexParser(runes: GoUTF8.runes(pattern))
        let root = try parser.parseAlternation()
        if parser.pos < parser.runes.count {
            // Only an unmatched ')' stops the top level early.
            throw .unexpectedParen
        }
        return RegexSyntaxTree(root: root, captureCount: parser.captureCount, captureNames: parser.names)
    }

    private init(runes: [UInt32]) {
        self.runes = runes
    }

    private var atEnd: Bool { pos >= runes.count }
    private func peek(_ offset: Int = 0) -> UInt32? {
        pos + offset < runes.count ? runes[pos + offset] : nil
    }

    private static func char(_ c: Character) -> UInt32 { c.unicodeScalars.first!.value }

    // MARK: Structure

    private mutating func parseAlternation() throws(RegexError) -> RegexNode {
        var branches = [try parseConcat()]
        while peek() == Self.char("|") {
            pos += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    private mutating func parseConcat() throws(RegexError) -> RegexNode {
        var items: [RegexNode] = []
        var lastWasRepeat = false
        while let c = peek(), c != Self.char("|"), c != Self.char(")") {
            switch c {
            case Self.char("*"), Self.char("+"), Self.char("?"):
                if lastWasRepeat { throw .invalidRepeatOp }
                guard let operand = items.popLast() else { throw .missingRepeatArgument }
                pos += 1
                var greedy = !flags.ungreedy
                if peek() == Self.char("?") {
                    pos += 1
                    greedy.toggle()
                }
                switch c {
                case Self.char("*"): items.append(.star(operand, greedy: greedy))
                case Self.char("+"): items.append(.plus(operand, greedy: greedy))
                default: items.append(.quest(operand, greedy: greedy))
                }
                lastWasRepeat = true
                continue
            case Self.char("{"):
                if let (min, max, length) = parseRepeatCount() {
                    if lastWasRepeat { throw .invalidRepeatOp }
                    if min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max) { throw .invalidRepeatSize }
                    guard let operand = items.popLast() else { throw .missingRepeatArgument }
                    pos += length
                    var greedy = !flags.ungreedy
                    if peek() == Self.char("?") {
                        pos += 1
                        greedy.toggle()
                    }
                    items.append(.repeatRange(operand, min: min, max: max, greedy: greedy))
                    lastWasRepeat = true
                    continue
                }
                // Not a well-formed count: a literal brace.
                pos += 1
                items.append(literal(c))
            case Self.char("\\") where peek(1) == Self.char("Q"):
                // \Q...\E: each rune is its own literal, so a following `*` binds to the last.
                pos += 2
                while let q = peek() {
                    if q == Self.char("\\") && peek(1) == Self.char("E") {
                        pos += 2
                        break
                    }
                    items.append(literal(q))
                    pos += 1
                }
            default:
                if let atom = try parseAtom() { items.append(atom) }
            }
            lastWasRepeat = false
        }
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .concat(items)
        }
    }

    /// `{n}`, `{n,}` or `{n,m}` at `pos`: (min, max, length in runes). `max` is -1 for an
    /// open range; a number too large to parse makes `min` -1 (an invalid count).
    private func parseRepeatCount() -> (Int, Int, Int)? {
        var i = pos + 1
        func number() -> Int? {
            guard i < runes.count, runes[i] >= 0x30, runes[i] <= 0x39 else { return nil }
            // Leading zeros are not allowed.
            if runes[i] == 0x30 && i + 1 < runes.count && runes[i + 1] >= 0x30 && runes[i + 1] <= 0x39 { return nil }
            var n = 0
            while i < runes.count, runes[i] >= 0x30, runes[i] <= 0x39 {
                if n >= 0 {
                    n = n >= 100_000_000 ? -1 : n * 10 + Int(runes[i] - 0x30)
                }
                i += 1
            }
            return n
        }
        guard var min = number(), i < runes.count else { return nil }
        var max = min
        if runes[i] == Self.char(",") {
            i += 1
            guard i < runes.count else { return nil }
            if runes[i] == Self.char("}") {
                max = -1
            } else {
                guard let m = number() else { return nil }
                max = m
                if m < 0 { min = -1 }
            }
        }
        guard i < runes.count, runes[i] == Self.char("}") else { return nil }
        return (min, max, i + 1 - pos)
    }

    private func literal(_ r: UInt32) -> RegexNode {
        .literal(r, foldCase: flags.foldCase && GoUnicode.foldOrbit(r).count > 1)
    }

    private mutating func parseAtom() throws(RegexError) -> RegexNode? {
        guard let c = peek() else { return nil }
        switch c {
        case Self.char("("):
            return try parseGroup()
        case Self.char("["):
            return .charClass(try parseClass())
        case Self.char("."):
            pos += 1
            return flags.dotNewline ? .anyChar : .anyCharNotNewline
        case Self.char("^"):
            pos += 1
            return .assertion(flags.multiLine ? .beginLine : .beginText)
        case Self.char("$"):
            pos += 1
            return .assertion(flags.multiLine ? .endLine : .endText)
        case Self.char("\\"):
            return try parseEscapeAtom()
        default:
            pos += 1
            return literal(c)
        }
    }

    private mutating func parseGroup() throws(RegexError) -> RegexNode? {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxNesting { throw .nestingDepth }
        pos += 1  // (
        var captureName: [UInt8]? = nil
        if peek() == Self.char("?") {
            // Named captures: (?P<name>re) and (?<name>re).
            var nameStart: Int? = nil
            if peek(1) == Self.char("P") && peek(2) == Self.char("<") {
                nameStart = pos + 3
            } else if peek(1) == Self.char("<") {
                nameStart = pos + 2
            }
            if let start = nameStart {
                guard let end = runes[start...].firstIndex(of: Self.char(">")) else { throw .invalidNamedCapture }
                let nameRunes = Array(runes[start..<end])
                guard !nameRunes.isEmpty, nameRunes.allSatisfy({ r in
                    r == 0x5F || (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5A) || (r >= 0x61 && r <= 0x7A)
                }) else {
                    throw .invalidNamedCapture
                }
                captureName = GoUTF8.string(fromRunes: nameRunes)
                pos = end + 1
            } else {
                // Flags: (?flags) or (?flags:re).
                pos += 1
                var newFlags = flags
                var negate = false
                var sawFlag = false
                while true {
                    guard let f = peek() else { throw .invalidPerlOp }
                    pos += 1
                    switch f {
                    case Self.char("i"): newFlags.foldCase = !negate; sawFlag = true
                    case Self.char("m"): newFlags.multiLine = !negate; sawFlag = true
                    case Self.char("s"): newFlags.dotNewline = !negate; sawFlag = true
                    case Self.char("U"): newFlags.ungreedy = !negate; sawFlag = true
                    case Self.char("-"):
                        if negate { throw .invalidPerlOp }
                        negate = true
                        sawFlag = false
                    case Self.char(")"):
                        if negate && !sawFlag { throw .invalidPerlOp }
                        // Applies to the rest of the enclosing group.
                        flags = newFlags
                        return nil
                    case Self.char(":"):
                        if negate && !sawFlag { throw .invalidPerlOp }
                        let saved = flags
                        flags = newFlags
                        let sub = try parseAlternation()
                        flags = saved
                        guard peek() == Self.char(")") else { throw .missingParen }
                        pos += 1
                        return sub
                    default:
                        throw .invalidPerlOp
                    }
                }
            }
        }
        captureCount += 1
        let index = captureCount
        names.append(captureName ?? [])
        let saved = flags
        let sub = try parseAlternation()
        flags = saved
        guard peek() == Self.char(")") else { throw .missingParen }
        pos += 1
        return .capture(index: index, sub)
    }

    // MARK: Escapes

    private mutating func parseEscapeAtom() throws(RegexError) -> RegexNode {
        guard let e = peek(1) else { throw .trailingBackslash }
        switch e {
        case Self.char("A"): pos += 2; return .assertion(.beginText)
        case Self.char("z"): pos += 2; return .assertion(.endText)
        case Self.char("b"): pos += 2; return .assertion(.wordBoundary)
        case Self.char("B"): pos += 2; return .assertion(.noWordBoundary)
        case Self.char("d"), Self.char("D"), Self.char("s"), Self.char("S"), Self.char("w"), Self.char("W"),
             Self.char("p"), Self.char("P"):
            var cls = RegexCharClass()
            cls.foldCase = flags.foldCase
            cls.items.append(try parseClassEscape())
            return .charClass(cls)
        default:
            return literal(try parseSingleEscape())
        }
    }

    /// `\d \D \s \S \w \W \pX \p{Name} \PX \P{Name}` at `pos`.
    private mutating func parseClassEscape() throws(RegexError) -> RegexCharClass.Item {
        let e = runes[pos + 1]
        switch e {
        case Self.char("d"), Self.char("D"):
            pos += 2
            return .ranges(Self.perlDigit, negated: e == Self.char("D"))
        case Self.char("s"), Self.char("S"):
            pos += 2
            return .ranges(Self.perlSpace, negated: e == Self.char("S"))
        case Self.char("w"), Self.char("W"):
            pos += 2
            return .ranges(Self.perlWord, negated: e == Self.char("W"))
        default:
            // \p and \P
            var negated = e == Self.char("P")
            pos += 2
            guard let first = peek() else { throw .invalidCharRange }
            var name: [UInt32]
            if first == Self.char("{") {
                guard let end = runes[pos...].firstIndex(of: Self.char("}")) else { throw .invalidCharRange }
                name = Array(runes[(pos + 1)..<end])
                pos = end + 1
            } else {
                name = [first]
                pos += 1
            }
            if name.first == Self.char("^") {
                negated.toggle()
                name.removeFirst()
            }
            let text = String(decoding: GoUTF8.string(fromRunes: name), as: UTF8.self)
            if text == "Any" { return .anything(negated: negated) }
            guard let categories = Self.unicodeCategories[text] else { throw .invalidCharRange }
            return .categories(categories, negated: negated)
        }
    }

    /// A single-rune escape: octal, hex, C escapes and escaped punctuation.
    private mutating func parseSingleEscape() throws(RegexError) -> UInt32 {
        pos += 1  // backslash
        guard let c = peek() else { throw .trailingBackslash }
        pos += 1
        if c < 0x80 && !(GoUnicode.isLetter(c) || GoUnicode.isDigit(c)) { return c }
        switch c {
        case Self.char("1")...Self.char("7"), Self.char("0"):
            // A single non-zero digit would be a backreference, which is unsupported.
            if c != Self.char("0") {
                guard let next = peek(), next >= Self.char("0"), next <= Self.char("7") else { throw .invalidEscape }
            }
            var value = c - Self.char("0")
            var digits = 1
            while digits < 3, let next = peek(), next >= Self.char("0"), next <= Self.char("7") {
                value = value * 8 + (next - Self.char("0"))
                pos += 1
                digits += 1
            }
            return value
        case Self.char("x"):
            guard let first = peek() else { throw .invalidEscape }
            if first == Self.char("{") {
                pos += 1
                var value: UInt32 = 0
                var count = 0
                while true {
                    guard let d = peek() else { throw .invalidEscape }
                    pos += 1
                    if d == Self.char("}") { break }
                    guard let v = Self.hexValue(d) else { throw .invalidEscape }
                    value = value * 16 + v
                    if value > GoUTF8.maxRune { throw .invalidEscape }
                    count += 1
                }
                if count == 0 { throw .invalidEscape }
                return value
            }
            guard let high = Self.hexValue(first), let second = peek(1), let low = Self.hexValue(second) else { throw .invalidEscape }
            pos += 2
            return high * 16 + low
        case Self.char("a"): return 0x07
        case Self.char("f"): return 0x0C
        case Self.char("n"): return 0x0A
        case Self.char("r"): return 0x0D
        case Self.char("t"): return 0x09
        case Self.char("v"): return 0x0B
        default:
            throw .invalidEscape
        }
    }

    private static func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    // MARK: Classes

    private mutating func parseClass() throws(RegexError) -> RegexCharClass {
        pos += 1  // [
        var cls = RegexCharClass()
        cls.foldCase = flags.foldCase
        if peek() == Self.char("^") {
            cls.negated = true
            pos += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let c = peek() else { throw .missingBracket }
            // A ']' first in the class is a literal.
            if c == Self.char("]") && !first { break }
            first = false
            if c == Self.char("[") && peek(1) == Self.char(":") {
                if let item = try parsePosixClass() {
                    cls.items.append(item)
                    continue
                }
            }
            if c == Self.char("\\"), let e = peek(1),
               [Self.char("d"), Self.char("D"), Self.char("s"), Self.char("S"), Self.char("w"), Self.char("W"), Self.char("p"), Self.char("P")].contains(e) {
                cls.items.append(try parseClassEscape())
                continue
            }
            let low = try parseClassChar()
            var high = low
            if peek() == Self.char("-"), let after = peek(1), after != Self.char("]") {
                pos += 1
                high = try parseClassChar()
                if high < low { throw .invalidCharRange }
            }
            ranges.append(low...high)
        }
        pos += 1  // ]
        if !ranges.isEmpty { cls.items.append(.ranges(ranges, negated: false)) }
        return cls
    }

    private mutating func parseClassChar() throws(RegexError) -> UInt32 {
        guard let c = peek() else { throw .missingBracket }
        if c == Self.char("\\") {
            guard peek(1) != nil else { throw .missingBracket }
            return try parseSingleEscape()
        }
        pos += 1
        return c
    }

    /// `[:alpha:]` and `[:^alpha:]` inside a class; nil when the text is not one.
    private mutating func parsePosixClass() throws(RegexError) -> RegexCharClass.Item? {
        guard let end = (pos + 2 < runes.count ? (pos + 2)..<(runes.count - 1) : nil)?.first(where: { runes[$0] == Self.char(":") && runes[$0 + 1] == Self.char("]") }) else {
            return nil
        }
        var name = String(decoding: GoUTF8.string(fromRunes: Array(runes[(pos + 2)..<end])), as: UTF8.self)
        var negated = false
        if name.hasPrefix("^") {
            negated = true
            name.removeFirst()
        }
        guard let ranges = Self.posixClasses[name] else { throw .invalidCharRange }
        pos = end + 2
        return .ranges(ranges, negated: negated)
    }

    // MARK: Class tables (ASCII, as in Go)

    private static func r(_ a: Character, _ b: Character) -> ClosedRange<UInt32> { char(a)...char(b) }

    static let perlDigit: [ClosedRange<UInt32>] = [r("0", "9")]
    static let perlSpace: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
    static let perlWord: [ClosedRange<UInt32>] = [r("0", "9"), r("A", "Z"), r("_", "_"), r("a", "z")]

    static let posixClasses: [String: [ClosedRange<UInt32>]] = [
        "alnum": [r("0", "9"), r("A", "Z"), r("a", "z")],
        "alpha": [r("A", "Z"), r("a", "z")],
        "ascii": [0x00...0x7F],
        "blank": [0x09...0x09, 0x20...0x20],
        "cntrl": [0x00...0x1F, 0x7F...0x7F],
        "digit": [r("0", "9")],
        "graph": [0x21...0x7E],
        "lower": [r("a", "z")],
        "print": [0x20...0x7E],
        "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
        "space": [0x09...0x0D, 0x20...0x20],
        "upper": [r("A", "Z")],
        "word": [r("0", "9"), r("A", "Z"), r("a", "z"), r("_", "_")],
        "xdigit": [r("0", "9"), r("A", "F"), r("a", "f")],
    ]

    /// Unicode general categories accepted by `\p{...}`. Go also accepts script names
    /// (`\p{Greek}`); the Swift runtime exposes no script property, so those are rejected.
    static let unicodeCategories: [String: [Unicode.GeneralCategory]] = {
        let letters: [Unicode.GeneralCategory] = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
        let marks: [Unicode.GeneralCategory] = [.nonspacingMark, .spacingMark, .enclosingMark]
        let numbers: [Unicode.GeneralCategory] = [.decimalNumber, .letterNumber, .otherNumber]
        let punctuation: [Unicode.GeneralCategory] = [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                                                      .initialPunctuation, .finalPunctuation, .otherPunctuation]
        let symbols: [Unicode.GeneralCategory] = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        let separators: [Unicode.GeneralCategory] = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        let other: [Unicode.GeneralCategory] = [.control, .format, .surrogate, .privateUse]
        return [
            "L": letters, "Lu": [.uppercaseLetter], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter],
            "Lm": [.modifierLetter], "Lo": [.otherLetter],
            "M": marks, "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
            "N": numbers, "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber],
            "P": punctuation, "Pc": [.connectorPunctuation], "Pd": [.dashPunctuation], "Ps": [.openPunctuation],
            "Pe": [.closePunctuation], "Pi": [.initialPunctuation], "Pf": [.finalPunctuation], "Po": [.otherPunctuation],
            "S": symbols, "Sm": [.mathSymbol], "Sc": [.currencySymbol], "Sk": [.modifierSymbol], "So": [.otherSymbol],
            "Z": separators, "Zs": [.spaceSeparator], "Zl": [.lineSeparator], "Zp": [.paragraphSeparator],
            "C": other, "Cc": [.control], "Cf": [.format], "Cs": [.surrogate], "Co": [.privateUse],
        ]
    }()
}
