/// How a plain scalar's text is typed on reading, and which strings must be quoted on writing.
///
/// Reading follows the YAML 1.2 core schema (and so agrees with JSON). Writing is stricter: a
/// string is quoted if *either* YAML 1.2 or YAML 1.1 (what go-yaml v2 and so older kubectl
/// read) would take it for something else — `yes`, `off`, `0123`, `1e3`, `2024-01-01`, `~` — so
/// every consumer reads the string back.
enum ScalarResolution {
    static func resolvePlain(_ text: String) -> Scalar.Kind {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
            return .float
        default: break
        }
        // A number starts with a digit, sign or dot: most strings are settled without a copy.
        guard let first = text.utf8.first, isNumberStart(first) else { return .string }
        let bytes = Array(text.utf8)
        if isCoreInteger(bytes) { return .int }
        if isCoreFloat(bytes) { return .float }
        return .string
    }

    /// True when a string written plain would not read back as the same string somewhere.
    /// Called for every scalar written (a SealedSecret of 12 000 items has 12 000 ciphertexts of
    /// 700 characters), so it reads the bytes once and allocates only for short strings.
    static func needsQuoting(_ text: String) -> Bool {
        if resolvePlain(text) != .string { return true }
        let utf8 = text.utf8
        guard let first = utf8.first else { return true }
        if utf8.count <= 3, ["y", "n", "yes", "no", "on", "off"].contains(text.lowercased()) { return true }
        // Anything that starts like a number, date or sexagesimal in YAML 1.1 is quoted; this
        // over-quotes a few harmless strings ("1st"), which is the safe direction.
        if isNumberStart(first), utf8.allSatisfy(isNumberish) { return true }
        if first == UInt8(ascii: "="), utf8.count == 1 { return true }
        return false
    }

    /// `0-9 + - .`
    private static func isNumberStart(_ byte: UInt8) -> Bool {
        isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// The characters of YAML 1.1 numbers, dates and sexagesimals: `0-9 + - . _ : e E x X o O b B a-f A-F`.
    private static func isNumberish(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "a") ... UInt8(ascii: "f"), UInt8(ascii: "A") ... UInt8(ascii: "F"),
             UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
             UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "O"):
            return true
        default:
            return false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `[-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+`
    private static func isCoreInteger(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return false }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            let rest = bytes.dropFirst(2)
            if bytes[1] == UInt8(ascii: "o") { return rest.allSatisfy { $0 >= 0x30 && $0 <= 0x37 } }
            if bytes[1] == UInt8(ascii: "x") { return rest.allSatisfy { $0.isHexDigit } }
        }
        var digits = bytes[...]
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isCoreFloat(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let integerDigits = digits()
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            fractionDigits = digits()
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }
}

private extension UInt8 {
    var isHexDigit: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66)
    }
}
