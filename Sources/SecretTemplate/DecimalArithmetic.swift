/// The arbitrary-precision decimals (`shopspring/decimal`) behind Sprig's float arithmetic:
/// `addf 0.1 0.2` is exactly 0.3 because each float64 is first read as its shortest decimal
/// form, the operation is exact, and only the result is rounded back to a float64.
struct GoDecimal {
    /// value = coefficient × 10^exponent
    var coefficient: BigSigned
    var exponent: Int

    /// Digits after the decimal point that `divf` keeps (`decimal.DivisionPrecision`).
    static let divisionPrecision = 16

    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    init(_ f: Double) throws(TemplateFailure) {
        guard f.isFinite else {
            throw functionError("Cannot create a Decimal from \(f.isNaN ? "NaN" : (f < 0 ? "-Inf" : "+Inf"))")
        }
        if f == 0 {
            coefficient = BigSigned(negative: false, magnitude: .zero)
            exponent = 0
            return
        }
        let digits = GoFloatFormat.shortestDigits(abs(f))
        coefficient = BigSigned(negative: f < 0, magnitude: BigUnsigned(decimalDigits: digits.d))
        exponent = digits.dp - digits.nd
    }

    private init(coefficient: BigSigned, exponent: Int) {
        self.coefficient = coefficient
        self.exponent = exponent
    }

    /// Both operands rescaled to the smaller exponent.
    private static func aligned(_ a: GoDecimal, _ b: GoDecimal) -> (BigSigned, BigSigned, Int) {
        let e = min(a.exponent, b.exponent)
        return (a.coefficient.multiplied(byPowerOfTen: a.exponent - e), b.coefficient.multiplied(byPowerOfTen: b.exponent - e), e)
    }

    static func + (a: GoDecimal, b: GoDecimal) -> GoDecimal {
        let (x, y, e) = aligned(a, b)
        return GoDecimal(coefficient: x + y, exponent: e)
    }

    static func - (a: GoDecimal, b: GoDecimal) -> GoDecimal {
        let (x, y, e) = aligned(a, b)
        return GoDecimal(coefficient: x - y, exponent: e)
    }

    static func * (a: GoDecimal, b: GoDecimal) -> GoDecimal {
        GoDecimal(coefficient: a.coefficient * b.coefficient, exponent: a.exponent + b.exponent)
    }

    private static func compare(_ a: GoDecimal, _ b: GoDecimal) -> Int {
        let (x, y, _) = aligned(a, b)
        return BigSigned.compare(x, y)
    }

    /// `Decimal.Div`: the quotient with 16 decimals, rounded half away from zero.
    func divided(by divisor: GoDecimal) throws(TemplateFailure) -> GoDecimal {
        if divisor.coefficient.isZero { throw functionError("decimal division by zero") }
        let precision = Self.divisionPrecision
        // QuoRem: q = trunc(self / divisor) at 10^-precision, r = self - q × divisor.
        let scale = -precision
        let e = exponent - divisor.exponent - scale
        var dividend = coefficient
        var divisorValue = divisor.coefficient
        let remainderExponent: Int
        if e < 0 {
            divisorValue = divisorValue.multiplied(byPowerOfTen: -e)
            remainderExponent = exponent
        } else {
            dividend = dividend.multiplied(byPowerOfTen: e)
            remainderExponent = scale + divisor.exponent
        }
        let (q, r) = dividend.quotientAndRemainder(dividingBy: divisorValue)
        let quotient = GoDecimal(coefficient: q, exponent: scale)
        // Round: compare 2·|r|·10^precision with |divisor|.
        let twiceRemainder = GoDecimal(
            coefficient: BigSigned(negative: false, magnitude: r.magnitude + r.magnitude),
            exponent: remainderExponent + precision)
        let absDivisor = GoDecimal(coefficient: BigSigned(negative: false, magnitude: divisor.coefficient.magnitude), exponent: divisor.exponent)
        if Self.compare(twiceRemainder, absDivisor) < 0 { return quotient }
        let unit = GoDecimal(coefficient: BigSigned(negative: false, magnitude: BigUnsigned(1)), exponent: -precision)
        if coefficient.sign * divisor.coefficient.sign < 0 { return quotient - unit }
        return quotient + unit
    }

    /// The nearest float64 (`Decimal.Float64`, via an exact rational).
    var double: Double {
        var text = coefficient.negative ? "-" : ""
        text += String(decoding: coefficient.magnitude.decimalDigits(), as: UTF8.self)
        text += "e\(exponent)"
        return Double(text) ?? .nan
    }
}
