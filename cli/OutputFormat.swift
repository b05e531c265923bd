import ArgumentParser
import Foundation
import SealKit

/// `-o json|yaml` (any case, as kubeseal compares it). JSON is the default, as with kubeseal.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case yaml

    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    /// As kubeseal: an output file ending in `.yaml`/`.yml` means YAML even with `-o json`;
    /// otherwise `-o`; otherwise JSON.
    static func resolve(_ explicit: OutputFormat?, path: String?) -> OutputFormat {
        if let path, path.hasSuffix(".yaml") || path.hasSuffix(".yml") { return .yaml }
        return explicit ?? .json
    }

    /// The format an existing file is written in, so rewriting it keeps its format.
    static func detect(_ bytes: [UInt8]) -> OutputFormat {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        return first == UInt8(ascii: "{") ? .json : .yaml
    }

    func render(_ documents: [Node]) throws(CLIFailure) -> [UInt8] {
        switch self {
        case .json:
            return documents.flatMap { JSONWriter.write($0) }
        case .yaml:
            // kubeseal starts every YAML document, the first included, with `---`.
            var output: [UInt8] = []
            for document in documents {
                output += Array("---\n".utf8)
                do { output += try YAMLWriter.write([document]) } catch { throw CLIFailure("cannot write YAML: \(error)") }
            }
            return output
        }
    }
}

/// Sends output to stdout, or atomically to a file (`-w`): on any error nothing is written.
struct OutputTarget {
    let path: String?

    /// - Parameter confidential: the bytes are plaintext (recovered Secrets): the file is made
    ///   mode 0600 even when it already exists with a wider mode, and is never readable by
    ///   others at any moment. Otherwise a new file is 0644 and an existing one keeps its mode.
    func write(_ bytes: [UInt8], confidential: Bool = false) throws(CLIFailure) {
        guard let path, path != "-" else {
            try Console.out(bytes)
            return
        }
        do {
            if confidential {
                try AtomicFile.writeConfidential(bytes, to: path)
            } else {
                try AtomicFile.write(bytes, to: path, permissions: 0o644)
            }
        } catch {
            throw CLIFailure(error.description)
        }
    }
}
