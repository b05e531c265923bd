import SealKit
import SealKitSOPS

/// An error the CLI reports as one line on stderr (`error: FILE: document N: item "K": …`) with
/// a non-zero exit. Built at the edge from the core's typed errors; never holds a secret value.
struct CLIFailure: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    /// Places a core error in its input: the file name first, then what the error knows.
    init(source: String, _ error: any Error) {
        message = "\(source): \(Self.describe(error))"
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as ManifestError: error.description
        case let error as YAMLError: error.description
        case let error as CryptoError: error.description
        case let error as AgeError: error.description
        case let error as CLIFailure: error.message
        case let error as AtomicFile.WriteError: error.description
        default: String(describing: error)
        }
    }

    var description: String { message }
}
