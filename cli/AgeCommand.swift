import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit age …`: age v1 file encryption (what SOPS uses for its data keys), compatible
/// with `age` and `age-keygen`.
struct AgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "age",
        abstract: "Encrypt and decrypt age files; generate age identities.",
        discussion: """
            Files are age v1 (https://age-encryption.org/v1), binary or armored, and \
            interchangeable with the age and age-keygen tools. Recipients are X25519 keys \
            (age1…) or a passphrase (scrypt).
            """,
        subcommands: [AgeKeygenCommand.self, AgeEncryptCommand.self, AgeDecryptCommand.self]
    )
}

/// Shared helpers of the age subcommands.
enum AgeCLI {
    /// Reads identities from identity files (age-keygen's format), naming the file on error.
    static func identities(from paths: [String]) throws(CLIFailure) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for path in paths {
            let file = try InputFile.read(path)
            let found: [AgeIdentity]
            do { found = try AgeIdentityFile.parse(file.bytes, source: path) } catch { throw CLIFailure(error.message) }
            guard !found.isEmpty else { throw CLIFailure("\(path): no age identity (AGE-SECRET-KEY-1…) in the file") }
            identities += found
        }
        return identities
    }

    /// The first line of a passphrase file (without its line end). An empty passphrase is refused.
    static func passphrase(from path: String) throws(CLIFailure) -> SecretBytes {
        let file = try InputFile.read(path)
        var line = file.bytes.prefix { $0 != 0x0A }
        if line.last == 0x0D { line = line.dropLast() }
        guard !line.isEmpty else { throw CLIFailure("\(path): the passphrase is empty") }
        return SecretBytes(Array(line))
    }
}
