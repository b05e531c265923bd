/// The loose conversions Sprig's arithmetic relies on (`github.com/spf13/cast` v1.7):
/// anything converts, and what cannot be converted becomes zero. `add .num 1` works on a
/// string secret because of these rules.
enum Cast {
    /// `cast.ToInt64` (and `cast.ToInt`; both are 64-bit here).
    static func toInt64(_ value: Value) -> Int64 {
        switch value {
        case .int(let v, _):
            return v
        case .float(let f):
            return truncatingConversion(f)
        case .string(let s):
            if case .success(let v) = GoStrconv.parseInt(trimZeroDecimal(s), base: 0) { return v }
            return 0
        case .bool(let b):
            return b ? 1 : 0
        default:
            return 0
        }
    }

    /// `cast.ToFloat64`.
    static func toFloat64(_ value: Value) -> Double {
        switch value {
        case .int(let v, _):
            return Double(v)
        case .float(let f):
            return f
        case .string(let s):
            if case .success(let f) = GoStrconv.parseFloat(s) { return f }
            return 0
        case .bool(let b):
            return b ? 1 : 0
        default:
            return 0
        }
    }

    /// Go's `int64(f)` on amd64, where the reference controller runs: truncation toward zero,
    /// and the "integer indefinite" value for NaN and out-of-range inputs.
    static func truncatingConversion(_ f: Double) -> Int64 {
        guard f.isFinite, f >= -9_223_372_036_854_775_808.0, f < 9_223_372_036_854_775_808.0 else {
            return Int64.min
        }
        return Int64(f.rounded(.towardZero))
    }

    /// Drops a zero fraction ("12.000" -> "12") so integral decimals convert.
    static func trimZeroDecimal(_ s: [UInt8]) -> [UInt8] {
        var foundZero = false
        var i = s.count
        while i > 0 {
            switch s[i - 1] {
            case UInt8(ascii: "."):
                if foundZero { return Array(s[..<(i - 1)]) }
            case UInt8(ascii: "0"):
                foundZero = true
            default:
                return s
            }
            i -= 1
        }
        return s
    }

    /// Sprig's `strval`: strings as they are, everything else through `%v`.
    static func string(_ value: Value, _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        if case .string(let s) = value { return s }
        return try GoFormatter.formatValue(value, byteLimit: context.maxValueSize)
    }

    /// Sprig's `strslice`: a list of strings from a list (dropping nil elements) or a scalar.
    static func stringSlice(_ value: Value, _ context: CallContext) throws(TemplateFailure) -> [[UInt8]] {
        switch value {
        case .slice(let slice):
            if slice.elementType == .string { return slice.elements.map(\.str) }
            var out: [[UInt8]] = []
            out.reserveCapacity(slice.count)
            for element in slice.elements where !element.isNilArgument {
                out.append(try string(element, context))
            }
            return out
        case .invalid, .nilInterface:
            return []
        default:
            return [try string(value, context)]
        }
    }
}
