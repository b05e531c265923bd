import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit sops encrypt FILE`: what `sops encrypt FILE` writes, with age recipients.
struct SOPSEncryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a file in SOPS format to age recipients (as `sops encrypt`).",
        discussion: """
            Recipients come from --age, or else from the nearest .sops.yaml (searched from the \
            current directory upwards): the first creation_rule whose path_regex matches the \
            file's path relative to that directory, with its age keys and its \
            encrypted_regex/unencrypted_regex/…/mac_only_encrypted. The output decrypts with \
            sops and keeps YAML comments and key order as sops does. Written atomically.

            Examples:
              sealkit sops encrypt --age age1… secrets.yaml > secrets.enc.yaml
              sealkit sops encrypt --in-place secrets.yaml            # rules from .sops.yaml
              sealkit sops encrypt --age age1… --encrypted-regex '^(data|stringData)$' secret.yaml
            """
    )

    @Argument(help: ArgumentHelp("The plaintext file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Comma-separated age recipients (age1…).", valueName: "recipients"))
    var age: String?

    @Option(help: ArgumentHelp("Write the encrypted file here instead of stdout.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("in-place"), help: "Replace FILE with its encrypted form.")
    var inPlace = false

    @Option(name: .customLong("config"), help: ArgumentHelp("The .sops.yaml to use (default: the nearest one).", valueName: "file"))
    var configPath: String?

    @Option(name: .customLong("input-type"), help: ArgumentHelp("yaml, json, dotenv, ini or binary (default: from the file extension).", valueName: "type"))
    var inputType: String?

    @Option(name: .customLong("unencrypted-suffix"), help: ArgumentHelp("Leave values whose key ends with this in clear.", valueName: "suffix"))
    var unencryptedSuffix: String?

    @Option(name: .customLong("encrypted-suffix"), help: ArgumentHelp("Encrypt only values whose key ends with this.", valueName: "suffix"))
    var encryptedSuffix: String?

    @Option(name: .customLong("unencrypted-regex"), help: ArgumentHelp("Leave values whose key matches in clear (Go RE2).", valueName: "regex"))
    var unencryptedRegex: String?

    @Option(name: .customLong("encrypted-regex"), help: ArgumentHelp("Encrypt only values whose key matches (Go RE2).", valueName: "regex"))
    var encryptedRegex: String?

    @Option(name: .customLong("unencrypted-comment-regex"), help: ArgumentHelp("Leave values under a matching comment in clear.", valueName: "regex"))
    var unencryptedCommentRegex: String?

    @Option(name: .customLong("encrypted-comment-regex"), help: ArgumentHelp("Encrypt only values under a matching comment.", valueName: "regex"))
    var encryptedCommentRegex: String?

    @Flag(name: .customLong("mac-only-encrypted"), help: "Compute the MAC only over encrypted values.")
    var macOnlyEncrypted = false

    func validate() throws {
        if inPlace, output != nil { throw ValidationError("--in-place and --output cannot be combined") }
    }

    func run() throws {
        let format = try SOPSCLI.format(inputType, flag: "--input-type", path: file)
        let input = try InputFile.read(file)
        var options = try encryptionOptions()
        let rules = [unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex, unencryptedCommentRegex, encryptedCommentRegex]
        if rules.contains(where: { $0 != nil }) {
            options.unencryptedSuffix = unencryptedSuffix
            options.encryptedSuffix = encryptedSuffix
            options.unencryptedRegex = unencryptedRegex
            options.encryptedRegex = encryptedRegex
            options.unencryptedCommentRegex = unencryptedCommentRegex
            options.encryptedCommentRegex = encryptedCommentRegex
        }
        if macOnlyEncrypted { options.macOnlyEncrypted = true }
        let encrypted: [UInt8]
        do {
            encrypted = try SOPSEncryptor.encrypt(SecretBytes(input.bytes), format: format, source: file, options: options,
                                                  lastModified: SOPSCLI.now())
        } catch {
            throw CLIFailure(error.message)
        }
        try OutputTarget(path: inPlace ? file : output).write(encrypted)
    }

    /// --age, or the matching creation rule of .sops.yaml.
    private func encryptionOptions() throws(CLIFailure) -> SOPSEncryptionOptions {
        if let age {
            var recipients: [AgeRecipient] = []
            for text in age.split(separator: ",") where !text.trimmingCharacters(in: .whitespaces).isEmpty {
                do { recipients.append(try AgeRecipient(parsing: String(text))) } catch { throw CLIFailure("--age: \(error.message)") }
            }
            return SOPSEncryptionOptions(recipients: recipients)
        }
        let directory = FileManager.default.currentDirectoryPath
        let absolute = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
        let config = configPath.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path }
            ?? SOPSConfig.find(from: directory) { FileManager.default.fileExists(atPath: $0) }
        guard let config else {
            throw CLIFailure("\(file): no --age recipients and no .sops.yaml found in \(directory) or its parents")
        }
        let bytes = try InputFile.read(config).bytes
        let options: SOPSEncryptionOptions?
        do { options = try SOPSConfig.options(config: bytes, configPath: config, filePath: absolute) } catch {
            throw CLIFailure(error.message)
        }
        guard let options else { throw CLIFailure("\(config): no creation_rules; pass --age") }
        return options
    }
}
