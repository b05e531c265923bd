/// A failure reading, writing or decrypting an age file or key. The code says which stage
/// failed (the same classes the age test kit distinguishes); the message names the problem,
/// never key material or plaintext.
public struct AgeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifiers, so callers and tests can branch without parsing messages.
    public enum Code: String, Sendable, Equatable {
        /// The ASCII armor (`-----BEGIN AGE ENCRYPTED FILE-----`) is malformed.
        case armor
        /// The header is malformed, uses an unsupported version, or a stanza is invalid.
        case header
        /// No identity opened any recipient stanza.
        case noMatch
        /// A file key was found but the header MAC does not verify (the header was altered).
        case headerMAC
        /// The encrypted payload is truncated, altered or has trailing data.
        case payload
        /// A recipient, identity or identity file is malformed.
        case invalidKey
        /// The underlying cryptography failed (no randomness, OpenSSL error).
        case crypto
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: AgeError, rhs: AgeError) -> Bool { lhs.code == rhs.code }
}
