import Foundation
import SealKit

/// Where a command's input came from, and its bytes. Errors name `source` so the user knows
/// which file (or stdin) was wrong.
struct InputFile {
    /// Refuse inputs larger than this: Secrets are capped at 1 MiB by the API server, and a
    /// repository file of SealedSecrets is far smaller than 64 MiB.
    static let maximumSize = 64 << 20

    let source: String
    let bytes: [UInt8]

    /// Reads `path`, or stdin when `path` is nil or "-".
    /// - Parameter ttyHint: printed when stdin is a terminal, so a user who forgot the input
    ///   file sees why the command waits.
    static func read(_ path: String?, ttyHint: String = "(tty detected: expecting json/yaml k8s resource in stdin)") throws(CLIFailure) -> InputFile {
        if let path, path != "-" {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                throw CLIFailure("\(path): \(exists ? (isDirectory.boolValue ? "is a directory" : "permission denied") : "no such file")")
            }
            defer { try? handle.close() }
            return InputFile(source: path, bytes: try readAll(handle, source: path))
        }
        if isatty(STDIN_FILENO) == 1 {
            Console.err("\(ttyHint)\n")
        }
        return InputFile(source: "<stdin>", bytes: try readAll(FileHandle.standardInput, source: "<stdin>"))
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
