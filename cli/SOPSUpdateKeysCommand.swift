import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit sops updatekeys FILE`: the recipients of `.sops.yaml`, for an existing file.
struct SOPSUpdateKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "updatekeys",
        abstract: "Make a SOPS file's recipients match .sops.yaml (as `sops updatekeys`).",
        discussion: """
            Finds the creation rule for FILE in the nearest .sops.yaml (or --config) and \
            encrypts the file's existing data key to exactly its age recipients. Values, MAC and \
            lastmodified do not change. The file is rewritten in place, atomically; the \
            recipients added and removed are listed on stderr.
            """
    )

    @Argument(help: ArgumentHelp("The SOPS-encrypted file.", valueName: "file"))
    var file: String

    @Option(name: .customLong("config"), help: ArgumentHelp("The .sops.yaml to use (default: the nearest one).", valueName: "file"))
    var configPath: String?

    @Option(name: .customLong("input-type"), help: ArgumentHelp("yaml, json, dotenv, ini or binary (default: from the file extension).", valueName: "type"))
    var inputType: String?

    @Flag(name: [.customShort("y"), .customLong("yes")], help: "Accepted for compatibility with sops (sealkit never asks).")
    var yes = false

    func run() throws {
        let format = try SOPSCLI.format(inputType, flag: "--input-type", path: file)
        let directory = FileManager.default.currentDirectoryPath
        let base = URL(fileURLWithPath: directory, isDirectory: true)
        let absolute = URL(fileURLWithPath: file, relativeTo: base).standardizedFileURL.path
        guard let config = configPath.map({ URL(fileURLWithPath: $0, relativeTo: base).standardizedFileURL.path })
            ?? SOPSConfig.find(from: directory, exists: { FileManager.default.fileExists(atPath: $0) })
        else { throw CLIFailure("\(file): no .sops.yaml found in \(directory) or its parents") }
        let configBytes = try InputFile.read(config).bytes
        let input = try InputFile.read(file)
        let found = try SOPSCLI.identities()
        let result: (file: [UInt8], added: [String], removed: [String])
        do throws(SOPSError) {
            guard let options = try SOPSConfig.options(config: configBytes, configPath: config, filePath: absolute) else {
                throw SOPSError(.invalidArgument, "\(config): no creation_rules")
            }
            result = try SOPSFile(input.bytes, format: format, source: file)
                .updatingKeys(to: options.recipients, with: found.identities, identitySources: found.sources)
        } catch {
            throw CLIFailure(error.message)
        }
        guard !(result.added.isEmpty && result.removed.isEmpty) else {
            Console.err("\(file): already up to date\n")
            return
        }
        try OutputTarget(path: file).write(result.file)
        Console.err((result.added.map { "\(file): added \($0)\n" } + result.removed.map { "\(file): removed \($0)\n" }).joined())
    }
}
