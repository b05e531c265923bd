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
            let command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try await runOffPool(command)
            }
        } catch let failure as CLIFailure {
            Console.err("error: \(failure.message)\n")
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }

    /// Runs a synchronous command on a thread of its own: scrypt (age passphrases) takes a
    /// second or more of CPU, which must not hold a thread of the cooperative pool.
    private static func runOffPool(_ command: any ParsableCommand) async throws {
        /// Hands the parsed command to the worker thread and back; used by one thread at a time.
        final class Job: @unchecked Sendable {
            var command: any ParsableCommand
            init(_ command: any ParsableCommand) { self.command = command }
        }
        let job = Job(command)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread {
                do {
                    try job.command.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }.start()
        }
    }
}
