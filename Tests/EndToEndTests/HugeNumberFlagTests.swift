import Foundation
import Testing

/// Numbers on the command line are untrusted too: a duration too large for Go (and for the
/// conversions to milliseconds and certificate lifetimes behind it) is a one-line error and a
/// non-zero exit, never a Swift runtime trap.
@Suite("Huge number flags")
struct HugeNumberFlagTests {
    static let controllerCases: [[String]] = [
        ["--key-ttl", "9999999999999h"],
        ["--lease-duration", "9999999999999h"],
        ["--lease-duration", "1" + String(repeating: "0", count: 40) + "s"],
        ["--resync-period", "9999999999999h"],
        ["--key-renew-period", String(repeating: "9", count: 400) + "h"],
    ]

    @Test("sealkit-controller rejects a huge duration with one line", arguments: controllerCases)
    func controller(_ arguments: [String]) throws {
        let workspace = try Workspace()
        // No kubeconfig: the flags must be rejected before any connection is attempted.
        let result = try run(Binaries.url("sealkit-controller"), arguments, in: workspace.url)
        #expect(result.status == 1, "exit \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "one line, got: \(result.stderr)")
        #expect(result.stderr.contains(arguments[0]))
        #expect(result.stderr.contains("292 years"))
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test("sealkit keys generate rejects a huge --validity before generating anything") func keysValidity() throws {
        let workspace = try Workspace()
        let result = try workspace.sealkit(["keys", "generate", "--key-file", "new.key", "--cert-file", "new.pem",
                                            "--validity", "1" + String(repeating: "0", count: 30) + "h"])
        #expect(result.status == 1, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, got: \(result.stderr)")
        #expect(result.stderr.contains("--validity"))
        #expect(!workspace.exists("new.key"))
        #expect(!workspace.exists("new.pem"))
    }
}
