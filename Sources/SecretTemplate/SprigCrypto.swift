/// Sprig's digest, password-hash and random functions (`crypto.go`).
enum SprigCrypto {
    static let functions: [String: TemplateFunction] = [
        "sha1sum": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            try context.charge(a[0].str.count >> 8)
            return .string(Hashing.hex(context.digests.sha1(a[0].str)))
        },
        "sha256sum": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            try context.charge(a[0].str.count >> 8)
            return .string(Hashing.hex(context.digests.sha256(a[0].str)))
        },
        "sha512sum": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            try context.charge(a[0].str.count >> 8)
            return .string(Hashing.hex(context.digests.sha512(a[0].str)))
        },
        "adler32sum": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            try context.charge(a[0].str.count >> 8)
            return .string(Array(String(Hashing.adler32(a[0].str)).utf8))
        },
        "bcrypt": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            .string(try bcrypt(a[0].str, context))
        },
        "htpasswd": TemplateFunction([.string, .string]) { context, a throws(TemplateFailure) in
            let user = a[0].str
            if user.contains(UInt8(ascii: ":")) {
                return .string(Array("invalid username: ".utf8) + user)
            }
            return .string(user + [UInt8(ascii: ":")] + (try bcrypt(a[1].str, context)))
        },
        "randBytes": TemplateFunction([.int]) { context, a throws(TemplateFailure) in
            let count = a[0].integer
            if count < 0 { throw functionError("runtime error: makeslice: len out of range") }
            if count > Int64(context.maxValueSize) { throw .limit("randBytes would exceed \(context.maxValueSize) bytes") }
            try context.checkSize(Int(count) * 4 / 3)
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<Int(count)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return .string(Base64.encode(bytes))
        },
        "uuidv4": TemplateFunction([]) { _, _ in .string(uuidV4()) },
    ]

    /// Work units charged for one bcrypt at the default cost (about a million Blowfish
    /// block encryptions), so a template cannot hash in an unbounded loop.
    static let bcryptSteps = 10_000

    /// Sprig's `bcrypt`: errors become the result text, as in Sprig.
    private static func bcrypt(_ password: [UInt8], _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        try context.charge(bcryptSteps)
        do {
            return try Bcrypt.hash(password)
        } catch {
            return Array("failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes".utf8)
        }
    }

    /// A random (version 4, RFC 4122 variant) UUID in canonical lower-case form.
    static func uuidV4() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Hashing.hex(bytes)
        return Array(hex[0..<8]) + [UInt8(ascii: "-")] + Array(hex[8..<12]) + [UInt8(ascii: "-")]
            + Array(hex[12..<16]) + [UInt8(ascii: "-")] + Array(hex[16..<20]) + [UInt8(ascii: "-")] + Array(hex[20..<32])
    }
}
