/// The digests Sprig exposes (`sha1sum`, `sha256sum`, `sha512sum`, `adler32sum`) and the
/// SHA-256 that bcrypt-independent helpers need, implemented from FIPS 180-4 and RFC 1950.
///
/// The module must not depend on other packages and Foundation on Linux has no CommonCrypto,
/// so the algorithms live here. They only ever hash data the template already holds in
/// memory; none of them is used for secrecy, so constant-time behaviour is not a concern.
enum Hashing {
    // MARK: SHA-1

    static func adler32(_ data: [UInt8]) -> UInt32 {
        let mod: UInt32 = 65521
        var a: UInt32 = 1
        var b: UInt32 = 0
        // 5552 is the largest chunk for which the sums cannot overflow 32 bits.
        var index = 0
        while index < data.count {
            let end = min(index + 5552, data.count)
            for i in index..<end {
                a &+= UInt32(data[i])
                b &+= a
            }
            a %= mod
            b %= mod
            index = end
        }
        return b << 16 | a
    }

    // MARK: Helpers

    /// Runs `body` on each padded block (Merkle–Damgård padding with a big-endian bit length).


    /// Lower-case hexadecimal, as `hex.EncodeToString`.
    static func hex(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return out
    }
}

extension FixedWidthInteger where Self: UnsignedInteger {
    @inline(__always)
    func rotatedLeft(by n: Int) -> Self { (self << n) | (self >> (Self.bitWidth - n)) }
    @inline(__always)
    func rotatedRight(by n: Int) -> Self { (self >> n) | (self << (Self.bitWidth - n)) }
}
