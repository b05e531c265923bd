/// Go's `fmt` printing rules: `Sprint`, `Sprintln`, `Sprintf` and the `%v` forms that decide
/// how every value reaches the rendered output.
///
/// This follows `fmt/print.go` and `fmt/format.go` closely (flags, width and precision in
/// runes, `%!verb(type=value)` diagnostics, sorted map keys, the spacing rule of `Sprint`),
/// restricted to the types in `GoType`. Output size is bounded: padding widths and the
/// buffer are checked against a byte budget so that `%999999d` repeated cannot explode.
struct GoFormatter {
    private(set) var buf: [UInt8] = []
    private let byteLimit: Int

    // Flags of the verb being formatted.
    private var plus = false
    private var minus = false
    private var sharp = false
    private var space = false
    private var zero = false
    private var plusV = false
    private var sharpV = false
    private var wid = 0
    private var widPresent = false
    private var prec = 0
    private var precPresent = false

    private var reordered = false
    private var goodArgNum = true

    private static let lowerDigits: [UInt8] = Array("0123456789abcdefx".utf8)
    private static let upperDigits: [UInt8] = Array("0123456789ABCDEFX".utf8)

    init(byteLimit: Int) {
        self.byteLimit = byteLimit
    }

    // MARK: Entry points

    /// `fmt.Sprint`: spaces between operands when neither side is a string.
    static func sprint(_ args: [Value], byteLimit: Int) throws(TemplateFailure) -> [UInt8] {
        var p = GoFormatter(byteLimit: byteLimit)
        var prevString = false
        for (i, arg) in args.enumerated() {
            let isString: Bool
            if case .string = arg { isString = true } else { isString = false }
            if i > 0 && !isString && !prevString { p.buf.append(0x20) }
            try p.printArg(arg, verb: UInt32(UInt8(ascii: "v")))
            try p.checkSize()
            prevString = isString
        }
        return p.buf
    }

    /// `fmt.Sprintln`: always spaces, then a newline.
    static func sprintln(_ args: [Value], byteLimit: Int) throws(TemplateFailure) -> [UInt8] {
        var p = GoFormatter(byteLimit: byteLimit)
        for (i, arg) in args.enumerated() {
            if i > 0 { p.buf.append(0x20) }
            try p.printArg(arg, verb: UInt32(UInt8(ascii: "v")))
            try p.checkSize()
        }
        p.buf.append(0x0A)
        return p.buf
    }

    /// `fmt.Sprintf`.
    static func sprintf(_ format: [UInt8], _ args: [Value], byteLimit: Int) throws(TemplateFailure) -> [UInt8] {
        var p = GoFormatter(byteLimit: byteLimit)
        try p.doPrintf(format, args)
        return p.buf
    }

    /// `%v` of a single value, as `fmt.Sprintf("%v", v)` / Sprig's `strval`.
    static func formatValue(_ value: Value, byteLimit: Int) throws(TemplateFailure) -> [UInt8] {
        var p = GoFormatter(byteLimit: byteLimit)
        try p.printArg(value, verb: UInt32(UInt8(ascii: "v")))
        try p.checkSize()
        return p.buf
    }

    private func checkSize() throws(TemplateFailure) {
        if buf.count > byteLimit {
            throw .limit("formatted text exceeds \(byteLimit) bytes")
        }
    }

    // MARK: Printf

    private mutating func clearFlags() {
        plus = false; minus = false; sharp = false; space = false; zero = false
        plusV = false; sharpV = false
        wid = 0; widPresent = false; prec = 0; precPresent = false
    }

    private static func tooLarge(_ x: Int) -> Bool { x > 1_000_000 || x < -1_000_000 }

    private static func parseNumber(_ s: [UInt8], _ start: Int, _ end: Int) -> (num: Int, isNum: Bool, next: Int) {
        if start >= end { return (0, false, end) }
        var num = 0
        var isNum = false
        var i = start
        while i < end && s[i] >= UInt8(ascii: "0") && s[i] <= UInt8(ascii: "9") {
            if tooLarge(num) { return (0, false, end) }
            num = num * 10 + Int(s[i] - UInt8(ascii: "0"))
            isNum = true
            i += 1
        }
        return (num, isNum, i)
    }

    private static func intFromArg(_ args: [Value], _ argNum: Int) -> (num: Int, isInt: Bool, next: Int) {
        guard argNum < args.count else { return (0, false, argNum) }
        var num = 0
        var isInt = false
        if case .int(let v, _) = args[argNum] {
            num = Int(v)
            isInt = true
        }
        if tooLarge(num) {
            num = 0
            isInt = false
        }
        return (num, isInt, argNum + 1)
    }

    private mutating func argNumber(_ argNum: Int, _ format: [UInt8], _ i: Int, _ numArgs: Int) -> (argNum: Int, i: Int, found: Bool) {
        guard i < format.count, format[i] == UInt8(ascii: "[") else { return (argNum, i, false) }
        reordered = true
        // Find the closing bracket.
        var j = i + 1
        while j < format.count {
            if format[j] == UInt8(ascii: "]") {
                let (width, ok, next) = Self.parseNumber(format, i + 1, j)
                if !ok || next != j {
                    goodArgNum = false
                    return (argNum, j + 1, true)
                }
                let index = width - 1
                if index >= 0 && index < numArgs { return (index, j + 1, true) }
                goodArgNum = false
                return (argNum, j + 1, true)
            }
            j += 1
        }
        goodArgNum = false
        return (argNum, i + 1, false)
    }

    private mutating func doPrintf(_ format: [UInt8], _ args: [Value]) throws(TemplateFailure) {
        let end = format.count
        var argNum = 0
        var afterIndex = false
        reordered = false
        var i = 0
        while i < end {
            goodArgNum = true
            let lasti = i
            while i < end && format[i] != UInt8(ascii: "%") { i += 1 }
            if i > lasti { buf.append(contentsOf: format[lasti..<i]) }
            if i >= end { break }
            i += 1  // skip %
            clearFlags()
            flags: while i < end {
                switch format[i] {
                case UInt8(ascii: "#"): sharp = true
                case UInt8(ascii: "0"): zero = true
                case UInt8(ascii: "+"): plus = true
                case UInt8(ascii: "-"): minus = true
                case UInt8(ascii: " "): space = true
                default: break flags
                }
                i += 1
            }
            (argNum, i, afterIndex) = argNumber(argNum, format, i, args.count)
            if i < end && format[i] == UInt8(ascii: "*") {
                i += 1
                (wid, widPresent, argNum) = Self.intFromArg(args, argNum)
                if !widPresent { buf.append(contentsOf: Array("%!(BADWIDTH)".utf8)) }
                if wid < 0 {
                    wid = -wid
                    minus = true
                    zero = false
                }
                afterIndex = false
            } else {
                (wid, widPresent, i) = Self.parseNumber(format, i, end)
                if afterIndex && widPresent { goodArgNum = false }
            }
            if i + 1 < end && format[i] == UInt8(ascii: ".") {
                i += 1
                if afterIndex { goodArgNum = false }
                (argNum, i, afterIndex) = argNumber(argNum, format, i, args.count)
                if i < end && format[i] == UInt8(ascii: "*") {
                    i += 1
                    (prec, precPresent, argNum) = Self.intFromArg(args, argNum)
                    if prec < 0 {
                        prec = 0
                        precPresent = false
                    }
                    if !precPresent { buf.append(contentsOf: Array("%!(BADPREC)".utf8)) }
                    afterIndex = false
                } else {
                    (prec, precPresent, i) = Self.parseNumber(format, i, end)
                    if !precPresent {
                        prec = 0
                        precPresent = true
                    }
                }
            }
            if !afterIndex {
                (argNum, i, afterIndex) = argNumber(argNum, format, i, args.count)
            }
            if i >= end {
                buf.append(contentsOf: Array("%!(NOVERB)".utf8))
                break
            }
            var verb = UInt32(format[i])
            var size = 1
            if format[i] >= 0x80 { (verb, size) = GoUTF8.decode(format, at: i) }
            i += size
            if verb == UInt32(UInt8(ascii: "%")) {
                buf.append(UInt8(ascii: "%"))
            } else if !goodArgNum {
                appendVerbError(verb, "(BADINDEX)")
            } else if argNum >= args.count {
                appendVerbError(verb, "(MISSING)")
            } else {
                if verb == UInt32(UInt8(ascii: "v")) {
                    sharpV = sharp
                    sharp = false
                    plusV = plus
                    plus = false
                }
                try printArg(args[argNum], verb: verb)
                argNum += 1
            }
            try checkSize()
        }
        if !reordered && argNum < args.count {
            clearFlags()
            buf.append(contentsOf: Array("%!(EXTRA ".utf8))
            for (index, arg) in args[argNum...].enumerated() {
                if index > 0 { buf.append(contentsOf: Array(", ".utf8)) }
                if arg.isNilArgument {
                    buf.append(contentsOf: Array("<nil>".utf8))
                } else {
                    buf.append(contentsOf: Array(arg.typeName.utf8))
                    buf.append(UInt8(ascii: "="))
                    try printArg(arg, verb: UInt32(UInt8(ascii: "v")))
                }
                try checkSize()
            }
            buf.append(UInt8(ascii: ")"))
        }
    }

    private mutating func appendVerbError(_ verb: UInt32, _ suffix: String) {
        buf.append(contentsOf: Array("%!".utf8))
        GoUTF8.append(verb, to: &buf)
        buf.append(contentsOf: Array(suffix.utf8))
    }

    // MARK: Arguments

    private mutating func printArg(_ arg: Value, verb: UInt32) throws(TemplateFailure) {
        if arg.isNilArgument {
            if verb == UInt32(UInt8(ascii: "T")) || verb == UInt32(UInt8(ascii: "v")) {
                try padString(Array("<nil>".utf8))
            } else {
                try badVerb(verb, nil)
            }
            return
        }
        switch verb {
        case UInt32(UInt8(ascii: "T")):
            try fmtS(Array(arg.typeName.utf8))
            return
        case UInt32(UInt8(ascii: "p")):
            try fmtPointer(arg, verb: verb)
            return
        default:
            break
        }
        try printValue(arg, verb: verb, depth: 0)
    }

    /// Deepest nesting printed. Go recurses without bound (and overflows its stack on a
    /// dict that contains itself); here that is a limit error instead.
    static let maxDepth = 100

    private mutating func printValue(_ value: Value, verb: UInt32, depth: Int) throws(TemplateFailure) {
        if depth > Self.maxDepth {
            throw .limit("value nesting exceeds \(Self.maxDepth) levels")
        }
        switch value {
        case .invalid, .nilInterface:
            // An interface element holding nil, whatever the verb.
            if sharpV {
                buf.append(contentsOf: Array("interface {}(nil)".utf8))
            } else {
                buf.append(contentsOf: Array("<nil>".utf8))
            }
        case .bool(let b):
            if verb == UInt32(UInt8(ascii: "t")) || verb == UInt32(UInt8(ascii: "v")) {
                try padString(Array((b ? "true" : "false").utf8))
            } else {
                try badVerb(verb, value)
            }
        case .int(let v, let type):
            let unsigned = type.kind.isUnsignedInteger
            try fmtInteger(UInt64(bitPattern: v), signed: !unsigned, verb: verb, value: value)
        case .float(let f):
            try fmtFloat(f, verb: verb, value: value)
        case .complex(let re, let im):
            try fmtComplex(re, im, verb: verb, value: value)
        case .string(let s):
            try fmtString(s, verb: verb, value: value)
        case .map(let m):
            if sharpV {
                buf.append(contentsOf: Array(value.typeName.utf8))
                if m.isNil {
                    buf.append(contentsOf: Array("(nil)".utf8))
                    return
                }
                buf.append(UInt8(ascii: "{"))
            } else {
                buf.append(contentsOf: Array("map[".utf8))
            }
            for (i, entry) in m.sortedEntries.enumerated() {
                if i > 0 {
                    if sharpV { buf.append(contentsOf: Array(", ".utf8)) } else { buf.append(0x20) }
                }
                try printValue(.string(entry.key), verb: verb, depth: depth + 1)
                buf.append(UInt8(ascii: ":"))
                try printValue(entry.value, verb: verb, depth: depth + 1)
                try checkSize()
            }
            buf.append(sharpV ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        case .slice(let s):
            if sharpV {
                buf.append(contentsOf: Array(value.typeName.utf8))
                if s.isNil {
                    buf.append(contentsOf: Array("(nil)".utf8))
                    return
                }
                buf.append(UInt8(ascii: "{"))
            } else {
                buf.append(UInt8(ascii: "["))
            }
            for (i, element) in s.elements.enumerated() {
                if i > 0 {
                    if sharpV { buf.append(contentsOf: Array(", ".utf8)) } else { buf.append(0x20) }
                }
                try printValue(element, verb: verb, depth: depth + 1)
                try checkSize()
            }
            buf.append(sharpV ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// `%!verb(type=value)`; the value is printed with the current flags, as Go does.
    private mutating func badVerb(_ verb: UInt32, _ value: Value?) throws(TemplateFailure) {
        buf.append(contentsOf: Array("%!".utf8))
        GoUTF8.append(verb, to: &buf)
        buf.append(UInt8(ascii: "("))
        if let value, !value.isNilArgument {
            buf.append(contentsOf: Array(value.typeName.utf8))
            buf.append(UInt8(ascii: "="))
            try printValue(value, verb: UInt32(UInt8(ascii: "v")), depth: 0)
        } else {
            buf.append(contentsOf: Array("<nil>".utf8))
        }
        buf.append(UInt8(ascii: ")"))
    }

    private mutating func fmtPointer(_ value: Value, verb: UInt32) throws(TemplateFailure) {
        let address: UInt64
        switch value {
        case .slice(let s):
            address = s.storage.map { UInt64(UInt(bitPattern: ObjectIdentifier($0).hashValue)) } ?? 0
        case .map(let m):
            address = m.storage.map { UInt64(UInt(bitPattern: ObjectIdentifier($0).hashValue)) } ?? 0
        default:
            try badVerb(verb, value)
            return
        }
        let savedSharp = sharp
        sharp = !savedSharp
        try fmtIntegerDigits(address, base: 16, signed: false, verb: UInt32(UInt8(ascii: "v")), digits: Self.lowerDigits)
        sharp = savedSharp
    }

    // MARK: Padding

    private mutating func writePadding(_ n: Int) throws(TemplateFailure) {
        if n <= 0 { return }
        if buf.count + n > byteLimit {
            throw .limit("formatted text exceeds \(byteLimit) bytes")
        }
        let padByte: UInt8 = (zero && !minus) ? UInt8(ascii: "0") : UInt8(ascii: " ")
        buf.append(contentsOf: [UInt8](repeating: padByte, count: n))
    }

    private mutating func pad(_ b: [UInt8]) throws(TemplateFailure) {
        if !widPresent || wid == 0 {
            buf.append(contentsOf: b)
            return
        }
        let width = wid - GoUTF8.runeCount(b)
        if !minus {
            try writePadding(width)
            buf.append(contentsOf: b)
        } else {
            buf.append(contentsOf: b)
            try writePadding(width)
        }
    }

    private mutating func padString(_ s: [UInt8]) throws(TemplateFailure) {
        try pad(s)
    }

    // MARK: Integers

    private mutating func fmtInteger(_ v: UInt64, signed: Bool, verb: UInt32, value: Value) throws(TemplateFailure) {
        switch verb {
        case UInt32(UInt8(ascii: "v")):
            if sharpV && !signed {
                let savedSharp = sharp
                sharp = true
                try fmtIntegerDigits(v, base: 16, signed: false, verb: verb, digits: Self.lowerDigits)
                sharp = savedSharp
            } else {
                try fmtIntegerDigits(v, base: 10, signed: signed, verb: verb, digits: Self.lowerDigits)
            }
        case UInt32(UInt8(ascii: "d")):
            try fmtIntegerDigits(v, base: 10, signed: signed, verb: verb, digits: Self.lowerDigits)
        case UInt32(UInt8(ascii: "b")):
            try fmtIntegerDigits(v, base: 2, signed: signed, verb: verb, digits: Self.lowerDigits)
        case UInt32(UInt8(ascii: "o")), UInt32(UInt8(ascii: "O")):
            try fmtIntegerDigits(v, base: 8, signed: signed, verb: verb, digits: Self.lowerDigits)
        case UInt32(UInt8(ascii: "x")):
            try fmtIntegerDigits(v, base: 16, signed: signed, verb: verb, digits: Self.lowerDigits)
        case UInt32(UInt8(ascii: "X")):
            try fmtIntegerDigits(v, base: 16, signed: signed, verb: verb, digits: Self.upperDigits)
        case UInt32(UInt8(ascii: "c")):
            let r: UInt32 = (signed && Int64(bitPattern: v) < 0) || v > UInt64(GoUTF8.maxRune) ? GoUTF8.runeError : UInt32(v)
            try pad(GoUTF8.encode(r))
        case UInt32(UInt8(ascii: "q")):
            if (signed && Int64(bitPattern: v) < 0) || v > UInt64(GoUTF8.maxRune) {
                try badVerb(verb, value)
            } else {
                try pad(GoStrconv.quoteRune(UInt32(v), asciiOnly: plus))
            }
        case UInt32(UInt8(ascii: "U")):
            try fmtUnicode(v)
        default:
            try badVerb(verb, value)
        }
    }

    /// `fmt.fmtInteger`: sign, precision/zero padding, base prefixes, then width.
    private mutating func fmtIntegerDigits(_ value: UInt64, base: UInt64, signed: Bool, verb: UInt32, digits: [UInt8]) throws(TemplateFailure) {
        var u = value
        let negative = signed && Int64(bitPattern: value) < 0
        if negative { u = 0 &- u }
        var precision = 0
        if precPresent {
            precision = prec
            if precision == 0 && u == 0 {
                let savedZero = zero
                zero = false
                try writePadding(wid)
                zero = savedZero
                return
            }
        } else if zero && !minus && widPresent {
            precision = wid
            if negative || plus || space { precision -= 1 }
        }
        if precision > byteLimit { throw .limit("formatted text exceeds \(byteLimit) bytes") }
        var reversed: [UInt8] = []
        while u >= base {
            reversed.append(digits[Int(u % base)])
            u /= base
        }
        reversed.append(digits[Int(u)])
        while reversed.count < precision { reversed.append(UInt8(ascii: "0")) }
        if sharp {
            switch base {
            case 2: reversed.append(UInt8(ascii: "b")); reversed.append(UInt8(ascii: "0"))
            case 8: if reversed.last != UInt8(ascii: "0") { reversed.append(UInt8(ascii: "0")) }
            case 16: reversed.append(digits[16]); reversed.append(UInt8(ascii: "0"))
            default: break
            }
        }
        if verb == UInt32(UInt8(ascii: "O")) {
            reversed.append(UInt8(ascii: "o"))
            reversed.append(UInt8(ascii: "0"))
        }
        if negative {
            reversed.append(UInt8(ascii: "-"))
        } else if plus {
            reversed.append(UInt8(ascii: "+"))
        } else if space {
            reversed.append(UInt8(ascii: " "))
        }
        let savedZero = zero
        zero = false
        try pad(Array(reversed.reversed()))
        zero = savedZero
    }

    /// `%U`: `U+0041`, or `U+0041 'A'` with `#`.
    private mutating func fmtUnicode(_ value: UInt64) throws(TemplateFailure) {
        var precision = 4
        if precPresent && prec > 4 { precision = prec }
        if precision > byteLimit { throw .limit("formatted text exceeds \(byteLimit) bytes") }
        var hex = Array(String(value, radix: 16, uppercase: true).utf8)
        if hex.count < precision { hex.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: precision - hex.count), at: 0) }
        var out = Array("U+".utf8) + hex
        if sharp && value <= UInt64(GoUTF8.maxRune) && GoUnicode.isPrint(UInt32(value)) {
            out.append(contentsOf: Array(" '".utf8))
            GoUTF8.append(UInt32(value), to: &out)
            out.append(UInt8(ascii: "'"))
        }
        let savedZero = zero
        zero = false
        try pad(out)
        zero = savedZero
    }

    // MARK: Floats

    private mutating func fmtFloat(_ v: Double, verb: UInt32, value: Value) throws(TemplateFailure) {
        switch verb {
        case UInt32(UInt8(ascii: "v")):
            try fmtFloatDigits(v, verb: UInt8(ascii: "g"), defaultPrecision: -1)
        case UInt32(UInt8(ascii: "b")), UInt32(UInt8(ascii: "g")), UInt32(UInt8(ascii: "G")),
             UInt32(UInt8(ascii: "x")), UInt32(UInt8(ascii: "X")):
            try fmtFloatDigits(v, verb: UInt8(verb), defaultPrecision: -1)
        case UInt32(UInt8(ascii: "f")), UInt32(UInt8(ascii: "e")), UInt32(UInt8(ascii: "E")):
            try fmtFloatDigits(v, verb: UInt8(verb), defaultPrecision: 6)
        case UInt32(UInt8(ascii: "F")):
            try fmtFloatDigits(v, verb: UInt8(ascii: "f"), defaultPrecision: 6)
        default:
            try badVerb(verb, value)
        }
    }

    /// `fmt.fmtFloat`: sign handling, `#` decimal point and trailing zeros, zero padding
    /// after the sign.
    private mutating func fmtFloatDigits(_ v: Double, verb: UInt8, defaultPrecision: Int) throws(TemplateFailure) {
        let precision = precPresent ? prec : defaultPrecision
        if precision > byteLimit { throw .limit("formatted text exceeds \(byteLimit) bytes") }
        var num = GoFloatFormat.format(v, fmt: verb, prec: precision)
        if num.first == UInt8(ascii: "-") || num.first == UInt8(ascii: "+") {
            // keep the sign
        } else {
            num.insert(UInt8(ascii: "+"), at: 0)
        }
        if space && num[0] == UInt8(ascii: "+") && !plus { num[0] = UInt8(ascii: " ") }
        if num[1] == UInt8(ascii: "I") || num[1] == UInt8(ascii: "N") {
            let savedZero = zero
            zero = false
            if num[1] == UInt8(ascii: "N") && !space && !plus { num.removeFirst() }
            try pad(num)
            zero = savedZero
            return
        }
        if sharp && verb != UInt8(ascii: "b") {
            var digits = 0
            switch verb {
            case UInt8(ascii: "v"), UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "x"):
                digits = precision
                if digits == -1 { digits = 6 }
            default:
                break
            }
            var tail: [UInt8] = []
            var hasDecimalPoint = false
            var sawNonzeroDigit = false
            var i = 1
            scan: while i < num.count {
                switch num[i] {
                case UInt8(ascii: "."):
                    hasDecimalPoint = true
                case UInt8(ascii: "p"), UInt8(ascii: "P"):
                    tail = Array(num[i...])
                    num.removeSubrange(i...)
                    break scan
                case UInt8(ascii: "e") where verb != UInt8(ascii: "x") && verb != UInt8(ascii: "X"),
                     UInt8(ascii: "E") where verb != UInt8(ascii: "x") && verb != UInt8(ascii: "X"):
                    tail = Array(num[i...])
                    num.removeSubrange(i...)
                    break scan
                default:
                    if num[i] != UInt8(ascii: "0") { sawNonzeroDigit = true }
                    if sawNonzeroDigit { digits -= 1 }
                }
                i += 1
            }
            if !hasDecimalPoint {
                if num.count == 2 && num[1] == UInt8(ascii: "0") { digits -= 1 }
                num.append(UInt8(ascii: "."))
            }
            while digits > 0 {
                num.append(UInt8(ascii: "0"))
                digits -= 1
            }
            num.append(contentsOf: tail)
        }
        if plus || num[0] != UInt8(ascii: "+") {
            if zero && !minus && widPresent && wid > num.count {
                buf.append(num[0])
                try writePadding(wid - num.count)
                buf.append(contentsOf: num[1...])
                return
            }
            try pad(num)
            return
        }
        try pad(Array(num[1...]))
    }

    private mutating func fmtComplex(_ re: Double, _ im: Double, verb: UInt32, value: Value) throws(TemplateFailure) {
        switch verb {
        case UInt32(UInt8(ascii: "v")), UInt32(UInt8(ascii: "b")), UInt32(UInt8(ascii: "g")), UInt32(UInt8(ascii: "G")),
             UInt32(UInt8(ascii: "x")), UInt32(UInt8(ascii: "X")), UInt32(UInt8(ascii: "f")), UInt32(UInt8(ascii: "F")),
             UInt32(UInt8(ascii: "e")), UInt32(UInt8(ascii: "E")):
            let savedPlus = plus
            buf.append(UInt8(ascii: "("))
            try fmtFloat(re, verb: verb, value: value)
            plus = true
            try fmtFloat(im, verb: verb, value: value)
            buf.append(contentsOf: Array("i)".utf8))
            plus = savedPlus
        default:
            try badVerb(verb, value)
        }
    }

    // MARK: Strings

    private mutating func fmtString(_ s: [UInt8], verb: UInt32, value: Value) throws(TemplateFailure) {
        switch verb {
        case UInt32(UInt8(ascii: "v")):
            if sharpV { try fmtQ(s) } else { try fmtS(s) }
        case UInt32(UInt8(ascii: "s")):
            try fmtS(s)
        case UInt32(UInt8(ascii: "x")):
            try fmtSx(s, digits: Self.lowerDigits)
        case UInt32(UInt8(ascii: "X")):
            try fmtSx(s, digits: Self.upperDigits)
        case UInt32(UInt8(ascii: "q")):
            try fmtQ(s)
        default:
            try badVerb(verb, value)
        }
    }

    /// Precision truncates strings to a number of runes.
    private func truncated(_ s: [UInt8]) -> [UInt8] {
        guard precPresent else { return s }
        return Lexer.truncatedToRunes(s, max(prec, 0))
    }

    private mutating func fmtS(_ s: [UInt8]) throws(TemplateFailure) {
        try padString(truncated(s))
    }

    private mutating func fmtSx(_ s: [UInt8], digits: [UInt8]) throws(TemplateFailure) {
        var length = s.count
        if precPresent && prec < length { length = prec }
        var width = 2 * length
        if width > 0 {
            if space {
                if sharp { width *= 2 }
                width += length - 1
            } else if sharp {
                width += 2
            }
        } else {
            if widPresent { try writePadding(wid) }
            return
        }
        if widPresent && wid > width && !minus { try writePadding(wid - width) }
        if sharp {
            buf.append(UInt8(ascii: "0"))
            buf.append(digits[16])
        }
        for i in 0..<length {
            if space && i > 0 {
                buf.append(0x20)
                if sharp {
                    buf.append(UInt8(ascii: "0"))
                    buf.append(digits[16])
                }
            }
            let c = s[i]
            buf.append(digits[Int(c >> 4)])
            buf.append(digits[Int(c & 0xF)])
        }
        if widPresent && wid > width && minus { try writePadding(wid - width) }
    }

    private mutating func fmtQ(_ s: [UInt8]) throws(TemplateFailure) {
        let text = truncated(s)
        if sharp && GoStrconv.canBackquote(text) {
            try padString([UInt8(ascii: "`")] + text + [UInt8(ascii: "`")])
            return
        }
        try pad(GoStrconv.quote(text, asciiOnly: plus))
    }
}
