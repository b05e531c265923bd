import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit sops rotate FILE`: a new data key for a SOPS file, as `sops rotate`.
struct SOPSRotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Re-encrypt a SOPS file under a new data key (as `sops rotate`).",
        discussion: """
            Decrypts with the age identities sops would use (verifying every value and the MAC), \
            then encrypts every value under a fresh data key for the file's recipients, plus \
            --add-age and minus --rm-age. The encryption rules of the file are kept.

            Examples:
              sealkit sops rotate --in-place secrets.enc.yaml
              sealkit sops rotate -i --add-age age1new… --rm-age age1old… secrets.enc.yaml
            """
    )

    @Argument(help: ArgumentHelp("The SOPS-encrypted file.", valueName: "file"))
    var file: String

    @Flag(name: [.customShort("i"), .customLong("in-place")], help: "Rewrite FILE instead of printing the result.")
    var inPlace = false

    @Option(help: ArgumentHelp("Write the result here instead of stdout.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("add-age"), help: ArgumentHelp("Comma-separated age recipients to add.", valueName: "recipients"))
    var addAge: String?

    @Option(name: .customLong("rm-age"), help: ArgumentHelp("Comma-separated age recipients to remove.", valueName: "recipients"))
    var removeAge: String?

    @Option(name: .customLong("input-type"), help: ArgumentHelp("yaml, json, dotenv, ini or binary (default: from the file extension).", valueName: "type"))
    var inputType: String?

    func validate() throws {
        if inPlace, output != nil { throw ValidationError("--in-place and --output cannot be combined") }
    }

    func run() throws {
        let format = try SOPSCLI.format(inputType, flag: "--input-type", path: file)
        var adding: [AgeRecipient] = []
        for text in (addAge ?? "").split(separator: ",") {
            do { adding.append(try AgeRecipient(parsing: String(text))) } catch { throw CLIFailure("--add-age: \(error.message)") }
        }
        let removing = (removeAge ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let input = try InputFile.read(file)
        let found = try SOPSCLI.identities()
        let rotated: [UInt8]
        do throws(SOPSError) {
            rotated = try SOPSFile(input.bytes, format: format, source: file)
                .rotated(with: found.identities, identitySources: found.sources, adding: adding, removing: removing, lastModified: SOPSCLI.now())
        } catch {
            throw CLIFailure(error.message)
        }
        try OutputTarget(path: inPlace ? file : output).write(rotated)
    }
}
