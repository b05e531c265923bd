/// Go's number formatting where SOPS's bytes depend on it: the MAC and encrypted floats use
/// `strconv.FormatFloat(f, 'f', -1, 64)`, go-yaml writes floats with `'g'`, encoding/json
/// switches to exponents outside [1e-6, 1e21). All use the shortest digits that round-trip,
/// which Swift's `description` also produces; only the layout differs.
enum GoFormatting {
    /// Shortest round-trip decimal digits and the decimal point position (`0.d1d2… × 10^point`).
    private static func digits(_ value: Double) -> (negative: Bool, digits: [UInt8], point: Int) {
        let text = Array("\(abs(value))".utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self).replacingOccurrences(of: "+", with: "")) ?? 0
            mantissa = text[..<e]
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for byte in mantissa {
            if byte == UInt8(ascii: ".") { seenPoint = true; continue }
            digits.append(byte)
            if !seenPoint { point += 1 }
        }
        // Strip leading zeros (moving the point) and trailing zeros.
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst(); point -= 1 }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits == [UInt8(ascii: "0")] { point = 1 }
        return (value.sign == .minus && value != 0, digits, point + exponent)
    }

    private static func positional(_ d: (negative: Bool, digits: [UInt8], point: Int)) -> String {
        var out: [UInt8] = d.negative ? [UInt8(ascii: "-")] : []
        if d.point <= 0 {
            out += Array("0.".utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: -d.point) + d.digits
        } else if d.point >= d.digits.count {
            out += d.digits + [UInt8](repeating: UInt8(ascii: "0"), count: d.point - d.digits.count)
        } else {
            out += d.digits[..<d.point] + [UInt8(ascii: ".")] + d.digits[d.point...]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func exponential(_ d: (negative: Bool, digits: [UInt8], point: Int), minimumExponentDigits: Int) -> String {
        var out: [UInt8] = d.negative ? [UInt8(ascii: "-")] : []
        out.append(d.digits[0])
        if d.digits.count > 1 { out += [UInt8(ascii: ".")] + d.digits[1...] }
        let exponent = d.point - 1
        var exponentDigits = Array(String(abs(exponent)).utf8)
        while exponentDigits.count < minimumExponentDigits { exponentDigits.insert(UInt8(ascii: "0"), at: 0) }
        out += [UInt8(ascii: "e"), UInt8(ascii: exponent < 0 ? "-" : "+")] + exponentDigits
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.FormatFloat(value, 'f', -1, 64)`.
    static func formatF(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return positional(digits(value))
    }

    /// `strconv.FormatFloat(value, 'g', -1, 64)`.
    static func formatG(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        let d = digits(value)
        // Go: shortest 'g' switches to %e when the exponent is < -4 or >= 6.
        let exponent = d.point - 1
        if exponent < -4 || exponent >= 6 { return exponential(d, minimumExponentDigits: 2) }
        return positional(d)
    }

    /// encoding/json's float64 encoding.
    static func formatJSON(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 {
            return exponential(digits(value), minimumExponentDigits: 1)
        }
        return positional(digits(value))
    }
}
