import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit age decrypt`: decrypt an age file (binary or armored) with identities or a passphrase.
struct AgeDecryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt an age file.",
        discussion: """
            Binary and armored input are both accepted. The whole file is authenticated before \
            anything is written: a truncated or altered file is an error with no output. With \
            -o the plaintext file is created with mode 0600, atomically.

            Examples:
              sealkit age decrypt -i key.txt -o secret.txt secret.age
              sealkit age decrypt -i key.txt < secret.txt.age
            """
    )

    @Option(name: [.customShort("i"), .customLong("identity")], help: ArgumentHelp("An identity file (repeatable).", valueName: "file"))
    var identityFiles: [String] = []

    @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Decrypt a passphrase-encrypted file with the passphrase on this file's first line.", valueName: "file"))
    var passphraseFile: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Output file (default stdout), mode 0600.", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("Input file (default stdin).", valueName: "input"))
    var input: String?

    func validate() throws {
        if identityFiles.isEmpty, passphraseFile == nil {
            throw ValidationError("give an identity file (-i) or --passphrase-file")
        }
    }

    func run() throws {
        let identities = Age.Identities(try AgeCLI.identities(from: identityFiles),
                                        passphrase: try passphraseFile.map(AgeCLI.passphrase(from:)))
        let file = try InputFile.read(input, ttyHint: "(tty detected: expecting an age file in stdin)")
        let plaintext: SecretBytes
        do { plaintext = try Age.decrypt(file.bytes, with: identities) } catch { throw CLIFailure("\(file.source): \(error.message)") }
        var bytes = plaintext.copyBytes()
        defer { bytes.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        try OutputTarget(path: output).write(bytes, confidential: true)
    }
}
