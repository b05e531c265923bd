import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit age encrypt`: encrypt a file to age recipients or a passphrase.
struct AgeEncryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a file with age.",
        discussion: """
            The output opens with `age -d` (and `sealkit age decrypt`). It is written \
            atomically: on any error OUTPUT is neither created nor changed. Without -a, binary \
            output is refused on a terminal.

            Examples:
              sealkit age encrypt -r age1… -o secret.age secret.txt
              sealkit age encrypt -r age1… -r age1… -a < secret.txt > secret.txt.age
              sealkit age encrypt --passphrase-file pass.txt -o backup.age backup.tar
            """
    )

    @Option(name: [.customShort("r"), .customLong("recipient")], help: ArgumentHelp("An age1… recipient (repeatable).", valueName: "recipient"))
    var recipients: [String] = []

    @Option(name: [.customShort("i"), .customLong("identity")], help: ArgumentHelp("Also encrypt to the recipients of this identity file (repeatable).", valueName: "file"))
    var identityFiles: [String] = []

    @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("Encrypt with the passphrase on this file's first line (scrypt) instead of recipients.", valueName: "file"))
    var passphraseFile: String?

    @Option(name: .customLong("work-factor"), help: ArgumentHelp("scrypt work factor (log2 N) for --passphrase-file.", valueName: "n"))
    var workFactor = Age.defaultScryptWorkFactor

    @Flag(name: [.customShort("a"), .customLong("armor")], help: "Write PEM-style ASCII armor instead of binary.")
    var armor = false

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Output file (default stdout).", valueName: "file"))
    var output: String?

    @Argument(help: ArgumentHelp("Input file (default stdin).", valueName: "input"))
    var input: String?

    func validate() throws {
        if passphraseFile != nil, !(recipients.isEmpty && identityFiles.isEmpty) {
            throw ValidationError("--passphrase-file cannot be combined with -r or -i")
        }
        if passphraseFile == nil, recipients.isEmpty, identityFiles.isEmpty {
            throw ValidationError("give at least one recipient (-r age1…), an identity file (-i) or --passphrase-file")
        }
        guard (1...22).contains(workFactor) else { throw ValidationError("--work-factor must be between 1 and 22") }
    }

    func run() throws {
        var targets: [Age.Recipient] = []
        for text in recipients {
            do { targets.append(.x25519(try AgeRecipient(parsing: text))) } catch { throw CLIFailure("-r: \(error.message)") }
        }
        targets += try AgeCLI.identities(from: identityFiles).map { .x25519($0.recipient) }
        if let passphraseFile {
            targets = [.passphrase(try AgeCLI.passphrase(from: passphraseFile), workFactor: workFactor)]
        }
        if !armor, output == nil || output == "-", isatty(STDOUT_FILENO) == 1 {
            throw CLIFailure("refusing to write binary age output to a terminal; use -a or -o")
        }
        let file = try InputFile.read(input, ttyHint: "(tty detected: reading the plaintext from stdin; end with Ctrl-D)")
        let plaintext = SecretBytes(file.bytes)
        let encrypted: [UInt8]
        do { encrypted = try Age.encrypt(plaintext, to: targets, armored: armor) } catch { throw CLIFailure("\(file.source): \(error.message)") }
        try OutputTarget(path: output).write(encrypted)
    }
}
