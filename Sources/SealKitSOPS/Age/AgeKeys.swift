public import SealKitCrypto

/// An age X25519 recipient (`age1…`): the public half files are encrypted to.
public struct AgeRecipient: Sendable, Hashable, CustomStringConvertible {
    static let hrp = "age"

    /// The raw 32-byte X25519 public key.
    package let publicKey: [UInt8]

    package init(publicKey: [UInt8]) {
        self.publicKey = publicKey
    }

    /// Parses `age1…` (bech32, lowercase or uppercase, surrounding spaces ignored).
    /// - Throws: ``AgeError/Code/invalidKey`` naming what is wrong, quoting the (public) text.
    public init(parsing text: String) throws(AgeError) {
        let trimmed = text.trimmingASCIISpaces()
        guard let (hrp, data) = Bech32.decode(trimmed), hrp == Self.hrp else {
            throw AgeError(.invalidKey, "\"\(trimmed.prefix(80))\" is not an age recipient (age1…)")
        }
        guard data.count == X25519.keyLength else {
            throw AgeError(.invalidKey, "\"\(trimmed.prefix(80))\": an age X25519 recipient holds 32 bytes, not \(data.count)")
        }
        publicKey = data
    }

    /// The canonical lowercase `age1…` form.
    public var description: String { Bech32.encode(hrp: Self.hrp, data: publicKey) }
}

/// An age X25519 identity (`AGE-SECRET-KEY-1…`): the private key that opens files encrypted
/// to its ``recipient``. Its description is redacted, so it cannot leak through a log line.
public struct AgeIdentity: Sendable, CustomStringConvertible {
    static let hrp = "age-secret-key-"

    package let privateKey: X25519.PrivateKey
    /// The matching recipient, computed once.
    public let recipient: AgeRecipient

    package init(privateKey: X25519.PrivateKey) {
        self.privateKey = privateKey
        recipient = AgeRecipient(publicKey: privateKey.publicKey)
    }

    /// A new identity from OpenSSL's random generator.
    public static func generate() throws(AgeError) -> AgeIdentity {
        do {
            return AgeIdentity(privateKey: try X25519.PrivateKey())
        } catch {
            throw AgeError(.crypto, "cannot generate an age identity: \(error.message)")
        }
    }

    /// Parses `AGE-SECRET-KEY-1…`. The error never quotes the text (it is a private key).
    public init(parsing text: String) throws(AgeError) {
        guard let (hrp, data) = Bech32.decode(text.trimmingASCIISpaces()), hrp == Self.hrp else {
            throw AgeError(.invalidKey, "malformed age secret key (expected AGE-SECRET-KEY-1…)")
        }
        let raw = SecretBytes(data)
        guard raw.count == X25519.keyLength, let key = try? X25519.PrivateKey(raw: raw) else {
            throw AgeError(.invalidKey, "malformed age secret key (wrong length)")
        }
        self.init(privateKey: key)
    }

    /// The uppercase `AGE-SECRET-KEY-1…` text, as secret bytes: for writing an identity file.
    public func encoded() -> SecretBytes {
        var raw = privateKey.raw.copyBytes()
        defer { raw.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        var text = Array(Bech32.encode(hrp: Self.hrp, data: raw).uppercased().utf8)
        defer { text.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        return SecretBytes(Array(text))
    }

    public var description: String { "AgeIdentity(\(recipient), secret redacted)" }
}

/// Identity files as `age -i` and SOPS read them: one `AGE-SECRET-KEY-1…` per line, `#`
/// comments and blank lines ignored (what `age-keygen` and `sealkit age keygen` write).
public enum AgeIdentityFile {
    /// Every identity in `bytes`.
    /// - Parameters:
    ///   - source: the file name (or variable name) for error messages.
    ///   - wordsPerLine: split each line on whitespace, as SOPS does for `SOPS_AGE_KEY`.
    /// - Throws: ``AgeError/Code/invalidKey`` with the line number (never the line's text).
    public static func parse(_ bytes: [UInt8], source: String, wordsPerLine: Bool = false) throws(AgeError) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for (index, rawLine) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            var line = rawLine[...]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let text = String(decoding: line, as: UTF8.self)
            if text.trimmingASCIISpaces().isEmpty || text.hasPrefix("#") { continue }
            let words = wordsPerLine ? text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) : [text]
            for word in words {
                do {
                    identities.append(try AgeIdentity(parsing: word))
                } catch {
                    throw AgeError(.invalidKey, "\(source): line \(index + 1): \(error.message)")
                }
            }
        }
        return identities
    }

    /// The text `age-keygen` writes: `# created:` and `# public key:` comments, then the key.
    /// - Parameter created: the creation time, already formatted as RFC 3339.
    public static func render(_ identity: AgeIdentity, created: String) -> SecretBytes {
        let key = identity.encoded()
        var bytes = Array("# created: \(created)\n# public key: \(identity.recipient)\n".utf8)
        key.withUnsafeBytes { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\n"))
        return SecretBytes(bytes)
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
