/// `strconv.FormatFloat` for float64, byte for byte.
///
/// Templates print floats through Go's `%v`, `%e`, `%f`, `%g`, `%x` and JSON encoding, all of
/// which are built on FormatFloat. Two digit generators feed the shared layout code:
/// * the *shortest* representation that round-trips, taken from Swift's own shortest
///   algorithm (both languages produce the unique shortest, closest digit string), and
/// * the *exact* decimal expansion of the binary value (via `BigUnsigned`), rounded half to
///   even, which is what Go's `bigFtoa` does for explicit precisions.
enum GoFloatFormat {
    /// Decimal digits `0.d1d2d3... × 10^dp`, with trailing zeros removed.
    struct Digits {
        var d: [UInt8] = []
        var dp: Int = 0
        var nd: Int { d.count }
    }

    /// `strconv.FormatFloat(v, fmt, prec, 64)`.
    static func format(_ v: Double, fmt: UInt8, prec requested: Int) -> [UInt8] {
        if v.isNaN { return Array("NaN".utf8) }
        if v.isInfinite { return Array((v < 0 ? "-Inf" : "+Inf").utf8) }
        let neg = v.sign == .minus
        switch fmt {
        case UInt8(ascii: "b"): return formatBinary(v, neg: neg)
        case UInt8(ascii: "x"), UInt8(ascii: "X"): return formatHex(v, neg: neg, prec: requested, fmt: fmt)
        default: break
        }
        var prec = requested
        let shortest = prec < 0
        var digs: Digits
        if shortest {
            digs = shortestDigits(abs(v))
            switch fmt {
            case UInt8(ascii: "e"), UInt8(ascii: "E"): prec = max(digs.nd - 1, 0)
            case UInt8(ascii: "f"): prec = max(digs.nd - digs.dp, 0)
            default: prec = digs.nd
            }
        } else {
            digs = exactDigits(abs(v))
            switch fmt {
            case UInt8(ascii: "e"), UInt8(ascii: "E"): round(&digs, to: prec + 1)
            case UInt8(ascii: "f"): round(&digs, to: digs.dp + prec)
            default:
                if prec == 0 { prec = 1 }
                round(&digs, to: prec)
            }
        }
        return formatDigits(neg: neg, digs: digs, prec: prec, fmt: fmt, shortest: shortest)
    }

    private static func formatDigits(neg: Bool, digs: Digits, prec: Int, fmt: UInt8, shortest: Bool) -> [UInt8] {
        switch fmt {
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
            return formatE(neg: neg, digs: digs, prec: prec, fmt: fmt)
        case UInt8(ascii: "f"):
            return formatF(neg: neg, digs: digs, prec: prec)
        default:
            var prec = prec
            var eprec = prec
            if eprec > digs.nd && digs.nd >= digs.dp { eprec = digs.nd }
            // The shortest form switches to exponent notation from 1e+21 on in JavaScript,
            // but Go decides as if the precision were 6.
            if shortest { eprec = 6 }
            let exp = digs.dp - 1
            if exp < -4 || exp >= eprec {
                if prec > digs.nd { prec = digs.nd }
                return formatE(neg: neg, digs: digs, prec: prec - 1, fmt: fmt + UInt8(ascii: "e") - UInt8(ascii: "g"))
            }
            if prec > digs.dp { prec = digs.nd }
            return formatF(neg: neg, digs: digs, prec: max(prec - digs.dp, 0))
        }
    }

    private static func formatE(neg: Bool, digs: Digits, prec: Int, fmt: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        if neg { out.append(UInt8(ascii: "-")) }
        out.append(digs.nd != 0 ? digs.d[0] : UInt8(ascii: "0"))
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            var i = 1
            let m = min(digs.nd, prec + 1)
            if i < m {
                out.append(contentsOf: digs.d[i..<m])
                i = m
            }
            while i <= prec {
                out.append(UInt8(ascii: "0"))
                i += 1
            }
        }
        out.append(fmt)
        var exp = digs.nd == 0 ? 0 : digs.dp - 1
        if exp < 0 {
            out.append(UInt8(ascii: "-"))
            exp = -exp
        } else {
            out.append(UInt8(ascii: "+"))
        }
        if exp < 10 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "0") + UInt8(exp))
        } else if exp < 100 {
            out.append(UInt8(ascii: "0") + UInt8(exp / 10))
            out.append(UInt8(ascii: "0") + UInt8(exp % 10))
        } else {
            out.append(UInt8(ascii: "0") + UInt8(exp / 100))
            out.append(UInt8(ascii: "0") + UInt8((exp / 10) % 10))
            out.append(UInt8(ascii: "0") + UInt8(exp % 10))
        }
        return out
    }

    private static func formatF(neg: Bool, digs: Digits, prec: Int) -> [UInt8] {
        var out: [UInt8] = []
        if neg { out.append(UInt8(ascii: "-")) }
        if digs.dp > 0 {
            let m = min(digs.nd, digs.dp)
            out.append(contentsOf: digs.d[0..<m])
            if m < digs.dp {
                out.append(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: digs.dp - m))
            }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            for i in 1...prec {
                let j = digs.dp + i - 1
                out.append((j >= 0 && j < digs.nd) ? digs.d[j] : UInt8(ascii: "0"))
            }
        }
        return out
    }

    // MARK: Digit generation

    /// The shortest digit string that reads back as `v` (v ≥ 0, finite).
    static func shortestDigits(_ v: Double) -> Digits {
        if v == 0 { return Digits() }
        let text = Array(v.description.utf8)
        var mantissa = text[...]
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            mantissa = text[..<e]
            var expText = text[(e + 1)...]
            var sign = 1
            if let first = expText.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                if first == UInt8(ascii: "-") { sign = -1 }
                expText = expText.dropFirst()
            }
            for c in expText { exponent = exponent * 10 + Int(c - UInt8(ascii: "0")) }
            exponent *= sign
        }
        var digits: [UInt8] = []
        var intCount = 0
        var seenDot = false
        for c in mantissa {
            if c == UInt8(ascii: ".") { seenDot = true; continue }
            digits.append(c)
            if !seenDot { intCount += 1 }
        }
        var result = Digits(d: digits, dp: intCount + exponent)
        trimLeadingZeros(&result)
        trimTrailingZeros(&result)
        return result
    }

    /// The exact decimal expansion of `v` (v ≥ 0, finite).
    static func exactDigits(_ v: Double) -> Digits {
        if v == 0 { return Digits() }
        let bits = v.bitPattern
        let biasedExponent = Int((bits >> 52) & 0x7FF)
        var mantissa = bits & ((1 << 52) - 1)
        var exponent: Int
        if biasedExponent == 0 {
            exponent = 1 - 1023 - 52
        } else {
            mantissa |= 1 << 52
            exponent = biasedExponent - 1023 - 52
        }
        var n = BigUnsigned(mantissa)
        var dpShift = 0
        if exponent >= 0 {
            n.shiftLeft(by: exponent)
        } else {
            // m / 2^k == m * 5^k / 10^k
            let k = -exponent
            n.multiply(byPowerOfFive: k)
            dpShift = -k
        }
        let text = n.decimalDigits()
        var result = Digits(d: text, dp: text.count + dpShift)
        trimTrailingZeros(&result)
        return result
    }

    private static func trimLeadingZeros(_ digs: inout Digits) {
        var count = 0
        while count < digs.d.count && digs.d[count] == UInt8(ascii: "0") { count += 1 }
        if count > 0 {
            digs.d.removeFirst(count)
            digs.dp -= count
        }
        if digs.d.isEmpty { digs.dp = 0 }
    }

    private static func trimTrailingZeros(_ digs: inout Digits) {
        while let last = digs.d.last, last == UInt8(ascii: "0") { digs.d.removeLast() }
        if digs.d.isEmpty { digs.dp = 0 }
    }

    /// Rounds to `nd` significant digits, half to even on the exact value (strconv's
    /// `decimal.Round`).
    static func round(_ digs: inout Digits, to nd: Int) {
        if nd < 0 || nd >= digs.nd { return }
        var up: Bool
        if digs.d[nd] == UInt8(ascii: "5") && nd + 1 == digs.nd {
            up = nd > 0 && (digs.d[nd - 1] - UInt8(ascii: "0")) % 2 == 1
        } else {
            up = digs.d[nd] >= UInt8(ascii: "5")
        }
        if up {
            var i = nd - 1
            while i >= 0 {
                if digs.d[i] < UInt8(ascii: "9") {
                    digs.d[i] += 1
                    digs.d.removeSubrange((i + 1)...)
                    return
                }
                i -= 1
            }
            digs.d = [UInt8(ascii: "1")]
            digs.dp += 1
        } else {
            digs.d.removeSubrange(nd...)
            trimTrailingZeros(&digs)
        }
    }

    // MARK: Binary and hexadecimal forms

    private static func decompose(_ v: Double) -> (mantissa: UInt64, exponent: Int) {
        let bits = v.bitPattern
        var exp = Int((bits >> 52) & 0x7FF)
        var mant = bits & ((1 << 52) - 1)
        if exp == 0 {
            exp += 1
        } else {
            mant |= 1 << 52
        }
        return (mant, exp - 1023)
    }

    /// `%b`: decimal mantissa and binary exponent, e.g. `4503599627370496p-52`.
    private static func formatBinary(_ v: Double, neg: Bool) -> [UInt8] {
        let (mant, exp) = decompose(v)
        var out: [UInt8] = neg ? [UInt8(ascii: "-")] : []
        out.append(contentsOf: Array(String(mant).utf8))
        out.append(UInt8(ascii: "p"))
        let e = exp - 52
        if e >= 0 { out.append(UInt8(ascii: "+")) }
        out.append(contentsOf: Array(String(e).utf8))
        return out
    }

    /// `%x`/`%X`: hexadecimal mantissa and binary exponent, e.g. `0x1.8p+01`.
    private static func formatHex(_ v: Double, neg: Bool, prec: Int, fmt: UInt8) -> [UInt8] {
        var (mant, exp) = decompose(v)
        if mant == 0 { exp = 0 }
        mant <<= 60 - 52
        while mant != 0 && mant & (1 << 60) == 0 {
            mant <<= 1
            exp -= 1
        }
        if prec >= 0 && prec < 15 {
            let shift = UInt64(prec * 4)
            let extra = (mant << shift) & ((1 << 60) - 1)
            mant >>= 60 - shift
            if extra | (mant & 1) > 1 << 59 { mant += 1 }
            mant <<= 60 - shift
            if mant & (1 << 61) != 0 {
                mant >>= 1
                exp += 1
            }
        }
        let hex: [UInt8] = Array((fmt == UInt8(ascii: "X") ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = neg ? [UInt8(ascii: "-")] : []
        out.append(UInt8(ascii: "0"))
        out.append(fmt)
        out.append(UInt8(ascii: "0") + UInt8((mant >> 60) & 1))
        mant <<= 4
        if prec < 0 && mant != 0 {
            out.append(UInt8(ascii: "."))
            while mant != 0 {
                out.append(hex[Int((mant >> 60) & 15)])
                mant <<= 4
            }
        } else if prec > 0 {
            out.append(UInt8(ascii: "."))
            for _ in 0..<prec {
                out.append(hex[Int((mant >> 60) & 15)])
                mant <<= 4
            }
        }
        out.append(fmt == UInt8(ascii: "X") ? UInt8(ascii: "P") : UInt8(ascii: "p"))
        if exp < 0 {
            out.append(UInt8(ascii: "-"))
            exp = -exp
        } else {
            out.append(UInt8(ascii: "+"))
        }
        let expText = Array(String(exp).utf8)
        if expText.count < 2 { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: expText)
        return out
    }
}
