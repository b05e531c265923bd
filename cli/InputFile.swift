import Foundation
import SealKit

/// Where a command's input came from, and its bytes. Errors name `source` so the user knows
/// which file (or stdin) was wrong.
struct InputFile {
    /// Refuse inputs larger than this: Secrets are capped at 1 MiB by the API server, and a
    /// repository file of SealedSecrets is far smaller than 64 MiB.
    static let maximumSize = 64 << 20

    let source: String
    var bytes: [UInt8]

    /// Reads `path`, or stdin when `path` is nil or "-".
    static func read(_ path: String?) throws(CLIFailure) -> InputFile {
        try read(path, privateKey: nil)
    }

    /// Reads a file holding private keys. Like ssh, refuses a regular file that group or others
    /// may read: a key that every local user could copy is already lost, and saying so early is
    /// kinder than a rotation later. The mode is checked on the open descriptor, so the file
    /// checked is the file read.
    static func readPrivateKeys(_ path: String, allowInsecure: Bool) throws(CLIFailure) -> InputFile {
        try read(path, privateKey: allowInsecure ? nil : { (source, status) throws(CLIFailure) in
            guard (status.st_mode & S_IFMT) == S_IFREG, status.st_mode & 0o077 != 0 else { return }
            let mode = String(status.st_mode & 0o777, radix: 8)
            throw CLIFailure("\(source): private key file is readable by group or others (mode 0\(mode)); "
                + "run \"chmod 600 \(source)\", or pass --allow-insecure-key-file")
        })
    }

    private static func read(_ path: String?,
                             privateKey check: ((String, stat) throws(CLIFailure) -> Void)?) throws(CLIFailure) -> InputFile {
        if let path, path != "-" {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                throw CLIFailure("\(path): \(exists ? (isDirectory.boolValue ? "is a directory" : "permission denied") : "no such file")")
            }
            defer { try? handle.close() }
            if let check {
                var status = stat()
                guard fstat(handle.fileDescriptor, &status) == 0 else {
                    throw CLIFailure("\(path): cannot read its mode: \(String(cString: strerror(errno)))")
                }
                try check(path, status)
                return InputFile(source: path, bytes: try readInPlace(handle.fileDescriptor, size: Int(status.st_size), source: path))
            }
            return InputFile(source: path, bytes: try readAll(handle, source: path))
        }
        if isatty(STDIN_FILENO) == 1 {
            Console.err("(tty detected: expecting json/yaml k8s resource in stdin)\n")
        }
        return InputFile(source: "<stdin>", bytes: try readAll(FileHandle.standardInput, source: "<stdin>"))
    }

    /// Reads a key file into one buffer sized from `fstat`, with `read(2)`: no Foundation chunks
    /// and no regrowth, so the only copy of the key's bytes is the one the caller wipes. A file
    /// that grew after `fstat` is read to its end anyway (through a wiped intermediate buffer).
    private static func readInPlace(_ descriptor: Int32, size: Int, source: String) throws(CLIFailure) -> [UInt8] {
        guard size <= maximumSize else { throw CLIFailure("\(source): input larger than \(maximumSize >> 20) MiB") }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while true {
            if filled == bytes.count {
                guard bytes.count <= maximumSize else {
                    bytes.withUnsafeMutableBytes { SecureWipe.wipe($0) }
                    throw CLIFailure("\(source): input larger than \(maximumSize >> 20) MiB")
                }
                var larger = [UInt8](repeating: 0, count: bytes.count * 2)
                larger.withUnsafeMutableBytes { target in bytes.withUnsafeBytes { target.copyMemory(from: $0) } }
                bytes.withUnsafeMutableBytes { SecureWipe.wipe($0) }
                bytes = larger
            }
            let count = bytes.withUnsafeMutableBytes { raw in
                Glibc.read(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count == 0 { break }
            guard count > 0 else {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                bytes.withUnsafeMutableBytes { SecureWipe.wipe($0) }
                throw CLIFailure("\(source): cannot read: \(reason)")
            }
            filled += count
        }
        // Shrink in place (removeLast keeps the buffer), so no second copy is made.
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    private static func readAll(_ handle: FileHandle, source: String) throws(CLIFailure) -> [UInt8] {
        var bytes: [UInt8] = []
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw CLIFailure("\(source): cannot read: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            bytes.append(contentsOf: chunk)
            guard bytes.count <= maximumSize else {
                throw CLIFailure("\(source): input larger than \(maximumSize >> 20) MiB")
            }
        }
        return bytes
    }

    /// The YAML/JSON documents of the input.
    func documents() throws(CLIFailure) -> [YAMLReader.Document] {
        do { return try YAMLReader.manifests(bytes) } catch { throw CLIFailure(source: source, error) }
    }
}
