import ArgumentParser
import Foundation

/// The root for `sealkit age …` (and later `sealkit sops …`): the same command name, but
/// without the kubeseal-compatible root options, so the subcommands can use age's and sops's
/// own short flags. `SealkitCommand` still lists them, for help and completions.
struct StandaloneCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealkit",
        subcommands: [AgeCommand.self, SOPSCommand.self]
    )

    static let names: Set<String> = ["age", "sops"]

    static func main(_ arguments: [String]) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            Console.err("error: \(failure.message)\n")
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
