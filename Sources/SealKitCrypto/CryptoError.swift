/// A failure of the cryptographic layer: a key, certificate or ciphertext that cannot be
/// used. Messages name the problem, never the secret material involved.
public struct CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifiers, so callers (and tests) can branch without parsing messages.
    public enum Code: String, Sendable, Equatable {
        case invalidPrivateKey
        case invalidCertificate
        case unsupportedKeyType
        case keyTooSmall
        case certificateExpired
        case certificateNotYetValid
        case ciphertextTooShort
        case noKeyCouldDecrypt
        case encryptionFailed
        case keyGenerationFailed
        case certificateGenerationFailed
        case randomnessUnavailable
        /// An X25519 key or share that is malformed, or whose shared secret is the all-zero value.
        case keyAgreementFailed
        /// HKDF, scrypt or HMAC could not run (bad parameters, a work factor over the memory bound).
        case keyDerivationFailed
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
}
