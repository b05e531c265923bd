/// How go-yaml v3 (the YAML library SOPS uses) types a plain scalar when decoding into
/// `interface{}`, and how it chooses a style when encoding a string: the two decisions that
/// make a SOPS YAML file round-trip through SealKit as it does through sops.
enum GoYAMLScalars {
    /// The value of a plain scalar under go-yaml v3's resolver.
    static func resolvePlain(_ text: String) -> SOPSValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        default: break
        }
        guard let first = text.utf8.first, "+-.0123456789".utf8.contains(first) else { return .string(text) }
        if let time = timestamp(text) { return .time(time) }
        let plain = text.replacingOccurrences(of: "_", with: "")
        if let value = goParseInt(plain) { return .int(value) }
        if isYAMLFloat(plain), let value = Double(plain) { return .float(value) }
        return .string(text)
    }

    /// `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or a leading `0` (octal).
    static func goParseInt(_ text: String) -> Int? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var radix = 10
        if bytes.count > 2, bytes.first == UInt8(ascii: "0") {
            switch bytes[bytes.startIndex + 1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"): radix = 16; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "o"), UInt8(ascii: "O"): radix = 8; bytes = bytes.dropFirst(2)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): radix = 2; bytes = bytes.dropFirst(2)
            default: radix = 8; bytes = bytes.dropFirst()
            }
        } else if bytes.count == 2, bytes.first == UInt8(ascii: "0") {
            radix = 8
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty, let magnitude = UInt64(String(decoding: bytes, as: UTF8.self), radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int(magnitude)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isYAMLFloat(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                _ = digits()
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// go-yaml's timestamp forms, as `time.Time.MarshalText` writes them back (RFC 3339 with
    /// nanoseconds when present, UTC as `Z`). Only the unambiguous forms are recognised:
    /// `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
    static func timestamp(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        func isDigit(_ index: Int) -> Bool { index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 }
        guard bytes.count >= 10, (0..<4).allSatisfy(isDigit), bytes[4] == UInt8(ascii: "-"), isDigit(5), isDigit(6),
              bytes[7] == UInt8(ascii: "-"), isDigit(8), isDigit(9)
        else { return nil }
        if bytes.count == 10 { return text + "T00:00:00Z" }
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), isDigit(11), isDigit(12),
              bytes[13] == UInt8(ascii: ":"), isDigit(14), isDigit(15), bytes[16] == UInt8(ascii: ":"), isDigit(17), isDigit(18)
        else { return nil }
        var index = 19
        var fraction: [UInt8] = []
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            while isDigit(index) { fraction.append(bytes[index]); index += 1 }
            guard !fraction.isEmpty else { return nil }
        }
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        let zone = Array(bytes[index...])
        let zoneText: String
        if zone == [UInt8(ascii: "Z")] || zone == [UInt8(ascii: "z")] {
            zoneText = "Z"
        } else if zone.count == 6, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"), zone[3] == UInt8(ascii: ":") {
            zoneText = zone == Array("+00:00".utf8) ? "Z" : String(decoding: zone, as: UTF8.self)
        } else {
            return nil
        }
        let base = String(decoding: bytes[0..<10], as: UTF8.self) + "T" + String(decoding: bytes[11..<19], as: UTF8.self)
        return base + (fraction.isEmpty ? "" : "." + String(decoding: fraction, as: UTF8.self)) + zoneText
    }

    /// YAML 1.1 booleans go-yaml quotes so YAML 1.1 readers keep them strings.
    static func isOldBool(_ text: String) -> Bool {
        ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"].contains(text)
    }

    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
    static func isBase60Float(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first >= 0x30, first <= 0x39 else { return false }
        var parts = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        let head = parts.removeFirst()
        guard head.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) else { return false }
        for (index, part) in parts.enumerated() {
            var sexagesimal = part
            if index == parts.count - 1, let dot = part.firstIndex(of: UInt8(ascii: ".")) {
                guard part[(dot + 1)...].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) else { return false }
                sexagesimal = part[..<dot]
            }
            guard (1...2).contains(sexagesimal.count), sexagesimal.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            if sexagesimal.count == 2, sexagesimal.first! > UInt8(ascii: "5") { return false }
        }
        return true
    }

    /// go-yaml's encoder: plain unless the string would read back as another type (or is a
    /// YAML 1.1 bool or base-60 number); a multi-line string as a literal block.
    static func canUsePlain(_ text: String) -> Bool {
        if case .string = resolvePlain(text) { return !(isBase60Float(text) || isOldBool(text)) }
        return false
    }
}
