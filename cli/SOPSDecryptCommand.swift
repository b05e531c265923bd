import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit sops decrypt FILE`: what `sops decrypt FILE` prints, for age-encrypted files.
struct SOPSDecryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt a SOPS file (as `sops decrypt`).",
        discussion: """
            Every value is authenticated and the file's MAC verified before anything is \
            written: an altered value or MAC, or a wrong identity, is a one-line error and no \
            output. With --output the plaintext file is created with mode 0600, atomically.

            Examples:
              sealkit sops decrypt secrets.enc.yaml
              sealkit sops decrypt --extract '["db"]["password"]' secrets.enc.yaml
              SOPS_AGE_KEY_FILE=key.txt sealkit sops decrypt --output .env app.enc.env
            """
    )

    @Argument(help: ArgumentHelp("The SOPS-encrypted file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Print only this value, e.g. '[\"a\"][\"b\"]' or '[\"list\"][0]'.", valueName: "path"))
    var extract: String?

    @Option(help: ArgumentHelp("Write the plaintext to this file (mode 0600) instead of stdout.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("input-type"), help: ArgumentHelp("yaml, json, dotenv, ini or binary (default: from the file extension).", valueName: "type"))
    var inputType: String?

    @Option(name: .customLong("output-type"), help: ArgumentHelp("Format to write (default: the input's).", valueName: "type"))
    var outputType: String?

    @Flag(help: "Refuse files without SealKit's structure integrity record (which covers keys, order, types and nulls; SOPS's MAC covers values only).")
    var strict = false

    func run() throws {
        let inputFormat = try SOPSCLI.format(inputType, flag: "--input-type", path: file)
        let outputFormat = try outputType.map { (name) throws(CLIFailure) in try SOPSCLI.format(name, flag: "--output-type", path: file) }
        let input = try InputFile.read(file)
        let found = try SOPSCLI.identities()
        let plaintext: SecretBytes
        do throws(SOPSError) {
            let encrypted = try SOPSFile(input.bytes, format: inputFormat, source: file)
            let decrypted = try encrypted.decrypt(with: found.identities, identitySources: found.sources, strict: strict)
            if let extract {
                plaintext = try decrypted.extract(extract, as: outputFormat)
            } else {
                plaintext = try decrypted.emit(as: outputFormat)
            }
        } catch {
            throw CLIFailure(error.message)
        }
        var bytes = plaintext.copyBytes()
        defer { bytes.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        try OutputTarget(path: output).write(bytes, confidential: true)
    }
}
