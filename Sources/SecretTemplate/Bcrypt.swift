/// bcrypt (Provos & Mazières, "A Future-Adaptable Password Scheme"), as implemented by
/// `golang.org/x/crypto/bcrypt`, for Sprig's `bcrypt` and `htpasswd`.
///
/// Produces `$2a$<cost>$<22-char salt><31-char hash>` using bcrypt's own base64 alphabet.
/// Like the Go package it keys Blowfish with the password plus its terminating NUL (the
/// "bug compatibility" with the C implementations) and encodes 23 of the 24 cipher bytes.
enum Bcrypt {
    /// `bcrypt.DefaultCost`, what Sprig uses.
    static let defaultCost = 10
    /// Passwords longer than this are rejected by x/crypto (`ErrPasswordTooLong`).
    static let maxPasswordLength = 72

    private static let alphabet: [UInt8] = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let magic: [UInt8] = Array("OrpheanBeholderScryDoubt".utf8)

    enum Failure: Error {
        case passwordTooLong
        case invalidSalt
    }

    /// Hashes `password` with a fresh random salt.
    static func hash(_ password: [UInt8], cost: Int = defaultCost) throws(Failure) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return try hash(password, cost: cost, rawSalt: salt)
    }

    /// Hashes `password` with a given 16-byte salt.
    static func hash(_ password: [UInt8], cost: Int, rawSalt: [UInt8]) throws(Failure) -> [UInt8] {
        guard password.count <= maxPasswordLength else { throw .passwordTooLong }
        guard rawSalt.count == 16 else { throw .invalidSalt }
        let encodedSalt = encode(rawSalt)
        var state = Blowfish()
        let key = password + [0]
        state.expand(key: key, salt: rawSalt)
        for _ in 0..<(1 << cost) {
            state.expand(key: key)
            state.expand(key: rawSalt)
        }
        var cipherData = magic
        for block in stride(from: 0, to: 24, by: 8) {
            var l = UInt32(bigEndian: cipherData, at: block)
            var r = UInt32(bigEndian: cipherData, at: block + 4)
            for _ in 0..<64 {
                (l, r) = state.encrypt(l, r)
            }
            cipherData.replaceSubrange(block..<(block + 4), with: l.bigEndianBytes)
            cipherData.replaceSubrange((block + 4)..<(block + 8), with: r.bigEndianBytes)
        }
        var costText = Array(String(cost).utf8)
        if costText.count < 2 { costText.insert(UInt8(ascii: "0"), at: 0) }
        return Array("$2a$".utf8) + costText + [UInt8(ascii: "$")] + encodedSalt + encode(Array(cipherData.prefix(23)))
    }

    /// Verifies `password` against a `$2a$`/`$2b$`/`$2y$` hash by re-hashing with its salt.
    static func verify(_ password: [UInt8], against expected: [UInt8]) -> Bool {
        guard expected.count == 60, expected[0] == UInt8(ascii: "$"), expected[3] == UInt8(ascii: "$"),
              expected[6] == UInt8(ascii: "$"),
              let tens = digit(expected[4]), let ones = digit(expected[5]),
              let salt = decode(Array(expected[7..<29])), salt.count >= 16 else {
            return false
        }
        guard let computed = try? hash(password, cost: tens * 10 + ones, rawSalt: Array(salt.prefix(16))) else {
            return false
        }
        return Array(computed[7...]) == Array(expected[7...])
    }

    private static func digit(_ c: UInt8) -> Int? {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") ? Int(c - UInt8(ascii: "0")) : nil
    }

    /// bcrypt's base64: its own alphabet, no padding.
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18 & 0x3F)])
            out.append(alphabet[Int(v >> 12 & 0x3F)])
            if i + 1 < bytes.count { out.append(alphabet[Int(v >> 6 & 0x3F)]) }
            if i + 2 < bytes.count { out.append(alphabet[Int(v & 0x3F)]) }
            i += 3
        }
        return out
    }

    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var values: [UInt32] = []
        for c in text {
            guard let index = alphabet.firstIndex(of: c) else { return nil }
            values.append(UInt32(index))
        }
        var out: [UInt8] = []
        var i = 0
        while i + 1 < values.count {
            let v0 = values[i], v1 = values[i + 1]
            let v2 = i + 2 < values.count ? values[i + 2] : 0
            let v3 = i + 3 < values.count ? values[i + 3] : 0
            let v = v0 << 18 | v1 << 12 | v2 << 6 | v3
            out.append(UInt8(truncatingIfNeeded: v >> 16))
            if i + 2 < values.count { out.append(UInt8(truncatingIfNeeded: v >> 8)) }
            if i + 3 < values.count { out.append(UInt8(truncatingIfNeeded: v)) }
            i += 4
        }
        return out
    }
}

/// The Blowfish cipher state with bcrypt's expensive key schedule.
struct Blowfish {
    private var p: [UInt32] = BlowfishTables.p
    /// The four S-boxes, concatenated.
    private var s: [UInt32] = BlowfishTables.s0 + BlowfishTables.s1 + BlowfishTables.s2 + BlowfishTables.s3

    @inline(__always)
    private static func word(_ bytes: [UInt8], _ position: inout Int) -> UInt32 {
        var w: UInt32 = 0
        for _ in 0..<4 {
            w = w << 8 | UInt32(bytes[position])
            position += 1
            if position >= bytes.count { position = 0 }
        }
        return w
    }

    /// One 16-round Blowfish encryption.
    func encrypt(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
        p.withUnsafeBufferPointer { p in
            s.withUnsafeBufferPointer { s in
                Self.encrypt(left, right, p, s)
            }
        }
    }

    @inline(__always)
    private static func encrypt(_ left: UInt32, _ right: UInt32, _ p: UnsafeBufferPointer<UInt32>, _ s: UnsafeBufferPointer<UInt32>) -> (UInt32, UInt32) {
        var l = left ^ p[0]
        var r = right
        var i = 1
        while i <= 16 {
            r ^= (((s[Int(l >> 24)] &+ s[256 + Int((l >> 16) & 0xFF)]) ^ s[512 + Int((l >> 8) & 0xFF)]) &+ s[768 + Int(l & 0xFF)]) ^ p[i]
            l ^= (((s[Int(r >> 24)] &+ s[256 + Int((r >> 16) & 0xFF)]) ^ s[512 + Int((r >> 8) & 0xFF)]) &+ s[768 + Int(r & 0xFF)]) ^ p[i + 1]
            i += 2
        }
        return (r ^ p[17], l)
    }

    /// `ExpandKey`, or `expandKeyWithSalt` when a salt is given.
    mutating func expand(key: [UInt8], salt: [UInt8]? = nil) {
        var position = 0
        for i in 0..<18 {
            p[i] ^= Self.word(key, &position)
        }
        var saltPosition = 0
        var l: UInt32 = 0
        var r: UInt32 = 0
        p.withUnsafeMutableBufferPointer { p in
            s.withUnsafeMutableBufferPointer { s in
                let pp = UnsafeBufferPointer(p)
                var i = 0
                while i < 18 {
                    if let salt {
                        l ^= Self.word(salt, &saltPosition)
                        r ^= Self.word(salt, &saltPosition)
                    }
                    (l, r) = Self.encrypt(l, r, pp, UnsafeBufferPointer(s))
                    p[i] = l
                    p[i + 1] = r
                    i += 2
                }
                i = 0
                while i < 1024 {
                    if let salt {
                        l ^= Self.word(salt, &saltPosition)
                        r ^= Self.word(salt, &saltPosition)
                    }
                    (l, r) = Self.encrypt(l, r, pp, UnsafeBufferPointer(s))
                    s[i] = l
                    s[i + 1] = r
                    i += 2
                }
            }
        }
    }
}

extension UInt32 {
    init(bigEndian bytes: [UInt8], at offset: Int) {
        self = UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    var bigEndianBytes: [UInt8] {
        [UInt8(truncatingIfNeeded: self >> 24), UInt8(truncatingIfNeeded: self >> 16), UInt8(truncatingIfNeeded: self >> 8), UInt8(truncatingIfNeeded: self)]
    }
}
