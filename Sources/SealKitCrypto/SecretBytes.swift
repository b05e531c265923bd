internal import COpenSSL

/// Plaintext secret material (a decrypted value, a session key). The bytes are wiped with
/// `OPENSSL_cleanse` when the last copy goes away, comparisons take constant time, and the
/// description never shows the content, so a stray `print` or log line cannot leak it.
public struct SecretBytes: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Owns the buffer so it can be wiped on release. Immutable after `init`, which makes
    /// sharing it across threads safe.
    private final class Storage: @unchecked Sendable {
        var bytes: [UInt8]

        init(_ bytes: consuming [UInt8]) { self.bytes = bytes }

        deinit {
            let count = bytes.count
            bytes.withUnsafeMutableBytes { raw in
                if let base = raw.baseAddress { OPENSSL_cleanse(base, count) }
            }
        }
    }

    private let storage: Storage

    /// Takes ownership of `bytes`; pass a buffer nobody else holds so no unwiped copy remains.
    public init(_ bytes: consuming [UInt8]) {
        storage = Storage(bytes)
    }

    public init(utf8 string: String) {
        self.init(Array(string.utf8))
    }

    public var count: Int { storage.bytes.count }
    public var isEmpty: Bool { storage.bytes.isEmpty }

    /// Read access without copying. Do not let the bytes escape the closure.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = storage.bytes.withUnsafeBytes { raw in
            do throws(E) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// A copy the caller now owns and must treat as secret (used at output edges only). A new
    /// buffer, not the shared copy-on-write one: a caller that wipes it wipes its own copy
    /// in place, instead of forcing a fresh copy to wipe and leaving this one to `deinit`.
    public func copyBytes() -> [UInt8] {
        storage.bytes.withUnsafeBufferPointer { Array($0) }
    }

    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count == 0 { return true }
        return lhs.storage.bytes.withUnsafeBytes { a in
            rhs.storage.bytes.withUnsafeBytes { b in
                CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
            }
        }
    }

    public var description: String { "SecretBytes(\(count) bytes, redacted)" }
    public var debugDescription: String { description }
}

/// Wipes buffers that held secret material, in a way the optimiser cannot remove.
public enum SecureWipe {
    public static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        OPENSSL_cleanse(base, buffer.count)
    }
}
