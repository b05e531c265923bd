import Foundation

/// Writes to stdout and stderr without trapping when the other end has gone away (`| head`):
/// Foundation's non-throwing `FileHandle.write` stops the process on EPIPE.
enum Console {
    /// Standard output; a failed write is an error the command reports.
    static func out(_ bytes: [UInt8]) throws(CLIFailure) {
        do { try FileHandle.standardOutput.write(contentsOf: bytes) } catch {
            throw CLIFailure("cannot write to standard output: \(error.localizedDescription)")
        }
    }

    /// Standard error, best effort: there is nowhere left to report its failure.
    static func err(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}
