import ArgumentParser
import Foundation
import SealKit

/// `--output text|json|sarif` for `guard` and `lint`, and the exit status their findings give.
enum FindingOutput: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case sarif

    /// Exit statuses, documented in `--help` and the README: scripts tell "found something"
    /// from "could not look".
    static let clean: Int32 = 0
    static let foundProblems: Int32 = 1
    static let couldNotRun: Int32 = 2

    static let exitStatusHelp = """
        Exit status: 0 no findings (allowed ones do not count), 1 findings, 2 could not run \
        (unreadable file or policy, not a git repository for --staged), 64 bad usage.
        """

    /// Findings to stdout in the chosen form, the one-line summary to stderr; returns the
    /// exit status.
    func emit(_ report: FindingReport) throws(CLIFailure) -> Int32 {
        switch self {
        case .text: try Console.out(Array(report.text().utf8))
        case .json: try Console.out(JSONWriter.write(report.json()) + [UInt8(ascii: "\n")])
        case .sarif: try Console.out(JSONWriter.write(report.sarif()) + [UInt8(ascii: "\n")])
        }
        Console.err(report.summary() + "\n")
        return report.open.isEmpty ? Self.clean : Self.foundProblems
    }

    /// Runs a `guard` or `lint` body: a failure to run is one `error:` line and exit status 2,
    /// distinct from 1 (findings).
    ///
    /// Synchronous on purpose: Swift 6.3's optimizer crashes (signal 11 in LLVM's coroutine
    /// split) on an `async` closure with a typed `throws`, so a release build failed.
    static func finish(_ body: () throws(CLIFailure) -> Int32) throws {
        let status: Int32
        do { status = try body() } catch {
            Console.err("error: \(error.message)\n")
            throw ExitCode(couldNotRun)
        }
        if status != clean { throw ExitCode(status) }
    }
}
