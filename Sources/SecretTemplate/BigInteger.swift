/// Arbitrary-precision integers, just large enough for two jobs: the exact decimal expansion
/// of a float64 (at most ~1100 digits) and the decimal arithmetic of Sprig's `addf`, `subf`,
/// `mulf` and `divf` (`shopspring/decimal`). Operations are schoolbook; operands stay small
/// because they come from float64 values.
struct BigUnsigned: Comparable {
    /// Little-endian base-2^32 limbs without trailing zeros (zero is `[]`).
    private(set) var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    private init(limbs: [UInt32]) {
        self.limbs = limbs
        normalize()
    }

    static let zero = BigUnsigned(0)

    var isZero: Bool { limbs.isEmpty }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    var bitWidth: Int {
        guard let last = limbs.last else { return 0 }
        return (limbs.count - 1) * 32 + (32 - last.leadingZeroBitCount)
    }

    func bit(_ i: Int) -> Bool {
        let limb = i / 32
        guard limb < limbs.count else { return false }
        return limbs[limb] >> UInt32(i % 32) & 1 == 1
    }

    static func < (a: BigUnsigned, b: BigUnsigned) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
        for i in stride(from: a.limbs.count - 1, through: 0, by: -1) where a.limbs[i] != b.limbs[i] {
            return a.limbs[i] < b.limbs[i]
        }
        return false
    }

    static func + (a: BigUnsigned, b: BigUnsigned) -> BigUnsigned {
        var result: [UInt32] = []
        result.reserveCapacity(max(a.limbs.count, b.limbs.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<max(a.limbs.count, b.limbs.count) {
            let sum = UInt64(i < a.limbs.count ? a.limbs[i] : 0) + UInt64(i < b.limbs.count ? b.limbs[i] : 0) + carry
            result.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        if carry != 0 { result.append(UInt32(carry)) }
        return BigUnsigned(limbs: result)
    }

    /// `a - b` for `a >= b`.
    static func - (a: BigUnsigned, b: BigUnsigned) -> BigUnsigned {
        var result = a.limbs
        var borrow: Int64 = 0
        for i in 0..<result.count {
            var difference = Int64(result[i]) - Int64(i < b.limbs.count ? b.limbs[i] : 0) - borrow
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            } else {
                borrow = 0
            }
            result[i] = UInt32(difference)
        }
        return BigUnsigned(limbs: result)
    }

    static func * (a: BigUnsigned, b: BigUnsigned) -> BigUnsigned {
        if a.isZero || b.isZero { return .zero }
        var result = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count)
        for i in 0..<a.limbs.count {
            var carry: UInt64 = 0
            let x = UInt64(a.limbs[i])
            for j in 0..<b.limbs.count {
                let t = x * UInt64(b.limbs[j]) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            var k = i + b.limbs.count
            while carry != 0 {
                let t = UInt64(result[k]) + carry
                result[k] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
                k += 1
            }
        }
        return BigUnsigned(limbs: result)
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
        normalize()
    }

    mutating func multiply(byPowerOfFive k: Int) {
        var remaining = k
        // 5^13 is the largest power of five below 2^32.
        while remaining >= 13 {
            multiply(by: 1_220_703_125)
            remaining -= 13
        }
        var factor: UInt32 = 1
        for _ in 0..<remaining { factor *= 5 }
        if factor > 1 { multiply(by: factor) }
    }

    mutating func multiply(byPowerOfTen k: Int) {
        var remaining = k
        while remaining >= 9 {
            multiply(by: 1_000_000_000)
            remaining -= 9
        }
        var factor: UInt32 = 1
        for _ in 0..<remaining { factor *= 10 }
        if factor > 1 { multiply(by: factor) }
    }

    mutating func shiftLeft(by bits: Int) {
        if isZero { return }
        let limbShift = bits / 32
        let bitShift = UInt32(bits % 32)
        if bitShift > 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let value = limbs[i]
                limbs[i] = (value << bitShift) | carry
                carry = value >> (32 - bitShift)
            }
            if carry != 0 { limbs.append(carry) }
        }
        if limbShift > 0 {
            limbs.insert(contentsOf: [UInt32](repeating: 0, count: limbShift), at: 0)
        }
    }

    /// Divides in place by a small divisor, returning the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        normalize()
        return UInt32(remainder)
    }

    /// Truncated division by restoring binary long division.
    func quotientAndRemainder(dividingBy divisor: BigUnsigned) -> (quotient: BigUnsigned, remainder: BigUnsigned) {
        precondition(!divisor.isZero, "division by zero")
        if self < divisor { return (.zero, self) }
        var quotient = [UInt32](repeating: 0, count: limbs.count)
        var remainder = BigUnsigned.zero
        for i in stride(from: bitWidth - 1, through: 0, by: -1) {
            remainder.shiftLeft(by: 1)
            if bit(i) {
                if remainder.limbs.isEmpty { remainder.limbs = [1] } else { remainder.limbs[0] |= 1 }
            }
            if !(remainder < divisor) {
                remainder = remainder - divisor
                quotient[i / 32] |= 1 << UInt32(i % 32)
            }
        }
        return (BigUnsigned(limbs: quotient), remainder)
    }

    /// ASCII decimal digits, most significant first ("0" for zero).
    func decimalDigits() -> [UInt8] {
        var n = self
        if n.isZero { return [UInt8(ascii: "0")] }
        var chunks: [UInt32] = []
        while !n.isZero {
            chunks.append(n.divide(by: 1_000_000_000))
        }
        var out = Array(String(chunks.removeLast()).utf8)
        for chunk in chunks.reversed() {
            let text = Array(String(chunk).utf8)
            out.append(contentsOf: [UInt8](repeating: UInt8(ascii: "0"), count: 9 - text.count))
            out.append(contentsOf: text)
        }
        return out
    }

    /// Parses ASCII decimal digits.
    init(decimalDigits digits: [UInt8]) {
        var value = BigUnsigned.zero
        var index = 0
        while index < digits.count {
            let chunk = digits[index..<min(index + 9, digits.count)]
            var chunkValue: UInt32 = 0
            var scale: UInt32 = 1
            for digit in chunk {
                chunkValue = chunkValue * 10 + UInt32(digit - UInt8(ascii: "0"))
                scale *= 10
            }
            value.multiply(by: scale)
            value = value + BigUnsigned(UInt64(chunkValue))
            index += 9
        }
        self = value
    }
}

/// A signed arbitrary-precision integer.
struct BigSigned {
    var negative: Bool
    var magnitude: BigUnsigned

    init(negative: Bool, magnitude: BigUnsigned) {
        self.magnitude = magnitude
        self.negative = negative && !magnitude.isZero
    }

    var isZero: Bool { magnitude.isZero }
    var sign: Int { isZero ? 0 : (negative ? -1 : 1) }

    static func + (a: BigSigned, b: BigSigned) -> BigSigned {
        if a.negative == b.negative {
            return BigSigned(negative: a.negative, magnitude: a.magnitude + b.magnitude)
        }
        if a.magnitude < b.magnitude {
            return BigSigned(negative: b.negative, magnitude: b.magnitude - a.magnitude)
        }
        return BigSigned(negative: a.negative, magnitude: a.magnitude - b.magnitude)
    }

    static prefix func - (a: BigSigned) -> BigSigned {
        BigSigned(negative: !a.negative, magnitude: a.magnitude)
    }

    static func - (a: BigSigned, b: BigSigned) -> BigSigned { a + (-b) }

    static func * (a: BigSigned, b: BigSigned) -> BigSigned {
        BigSigned(negative: a.negative != b.negative, magnitude: a.magnitude * b.magnitude)
    }

    /// Truncated division: the remainder has the sign of the dividend (Go's `big.Int.QuoRem`).
    func quotientAndRemainder(dividingBy divisor: BigSigned) -> (quotient: BigSigned, remainder: BigSigned) {
        let (q, r) = magnitude.quotientAndRemainder(dividingBy: divisor.magnitude)
        return (BigSigned(negative: negative != divisor.negative, magnitude: q), BigSigned(negative: negative, magnitude: r))
    }

    func multiplied(byPowerOfTen k: Int) -> BigSigned {
        var m = magnitude
        m.multiply(byPowerOfTen: k)
        return BigSigned(negative: negative, magnitude: m)
    }

    static func compare(_ a: BigSigned, _ b: BigSigned) -> Int {
        if a.sign != b.sign { return a.sign < b.sign ? -1 : 1 }
        if a.magnitude == b.magnitude { return 0 }
        let smaller = a.magnitude < b.magnitude
        return (smaller != a.negative) ? -1 : 1
    }
}
