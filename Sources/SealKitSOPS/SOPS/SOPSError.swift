/// A failure reading, decrypting or writing a SOPS file. Messages name the file part, key path
/// or recipient involved, never a value or key.
public struct SOPSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifiers, so callers and tests can branch without parsing messages.
    public enum Code: String, Sendable, Equatable {
        /// The file is not in the format its extension (or `--input-type`) says.
        case malformed
        /// No `sops` metadata: the file is not SOPS-encrypted.
        case notEncrypted
        /// The file is already SOPS-encrypted (when encrypting).
        case alreadyEncrypted
        /// The data key cannot be recovered: no identity, wrong identity, only KMS/PGP/Vault keys.
        case noDataKey
        /// A value does not decrypt (altered, or encrypted under another key or path).
        case valueDecryption
        /// The MAC over the values does not match: a value was altered, added or removed.
        case macMismatch
        /// SealKit's structure integrity record does not match, or is missing under `--strict`.
        case integrity
        /// A feature this implementation does not support (Shamir key groups, …).
        case unsupported
        /// A bad option or configuration (`--extract` path, `.sops.yaml`, regex).
        case invalidArgument
        /// Randomness or OpenSSL failed.
        case crypto
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: SOPSError, rhs: SOPSError) -> Bool { lhs.code == rhs.code }
}
