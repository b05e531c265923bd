#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so readers see either the old content or the new, never a torn mix: the bytes
/// go to a temporary file in the same directory, are flushed to disk, then renamed over the
/// target. A failure leaves the target untouched and removes the temporary file.
public enum AtomicFile {
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes plaintext or private keys: always mode 0600, whatever mode an existing file had
    /// (a 0644 file would otherwise keep its mode and expose the new content), and the
    /// temporary file is 0600 from its creation, so no other user can open it at any moment.
    public static func writeConfidential(_ bytes: some Collection<UInt8>, to path: String) throws(WriteError) {
        try write(bytes, to: path, permissions: 0o600, forcePermissions: true)
    }

    /// The temporary file is created 0600 (`mkstemp`) and given its final mode before any byte
    /// is written.
    ///
    /// - Parameters:
    ///   - permissions: mode of a new file (`0o600` for private keys). An existing file keeps
    ///     its mode unless `forcePermissions` is set: use ``writeConfidential(_:to:)`` for
    ///     anything secret.
    public static func write(_ bytes: some Collection<UInt8>, to path: String, permissions: UInt32 = 0o644,
                             forcePermissions: Bool = false) throws(WriteError) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(base).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw WriteError(path: path, reason: errnoDescription()) }
        let temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(temporaryPath) }
        }
        var mode = mode_t(permissions)
        if !forcePermissions {
            var existing = stat()
            if stat(path, &existing) == 0 { mode = existing.st_mode & 0o7777 }
        }
        guard fchmod(descriptor, mode) == 0 else {
            close(descriptor)
            throw WriteError(path: path, reason: errnoDescription())
        }
        let data = Array(bytes)
        var written = 0
        while written < data.count {
            let result = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = errnoDescription()
                close(descriptor)
                throw WriteError(path: path, reason: reason)
            }
            written += result
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw WriteError(path: path, reason: errnoDescription())
        }
        guard rename(temporaryPath, path) == 0 else { throw WriteError(path: path, reason: errnoDescription()) }
        committed = true
    }

    private static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}
