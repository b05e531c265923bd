import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit age keygen`: a new X25519 identity in age-keygen's file format.
struct AgeKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Generate an age identity (like age-keygen).",
        discussion: """
            Writes `# created:` and `# public key:` comment lines and the AGE-SECRET-KEY-1… line, \
            exactly as age-keygen does; with -o the file is created with mode 0600 and an \
            existing file is never overwritten. The public key (the recipient to encrypt to) \
            is also printed on stderr when the key does not go to a terminal.
            With -y, prints the recipients of the identities in FILE instead.

            Examples:
              sealkit age keygen -o key.txt
              sealkit age keygen -y key.txt
            """
    )

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Write the identity to this file (mode 0600).", valueName: "file"))
    var output: String?

    @Flag(name: .customShort("y"), help: "Print the recipients (public keys) of an identity file given as the argument.")
    var convert = false

    @Argument(help: ArgumentHelp("With -y: the identity file (default stdin).", valueName: "file"))
    var input: String?

    func validate() throws {
        if input != nil, !convert { throw ValidationError("an input file is only read with -y") }
    }

    func run() throws {
        if convert {
            let file = try InputFile.read(input, ttyHint: "(tty detected: expecting an age identity file in stdin)")
            let identities: [AgeIdentity]
            do { identities = try AgeIdentityFile.parse(file.bytes, source: file.source) } catch { throw CLIFailure(error.message) }
            guard !identities.isEmpty else { throw CLIFailure("\(file.source): no age identity in the input") }
            try OutputTarget(path: output).write(Array(identities.map { "\($0.recipient)\n" }.joined().utf8))
            return
        }
        if let output, output != "-", FileManager.default.fileExists(atPath: output) {
            throw CLIFailure("\(output) already exists; age identities are never overwritten")
        }
        let identity: AgeIdentity
        do { identity = try AgeIdentity.generate() } catch { throw CLIFailure(error.message) }
        let created = Self.rfc3339(Date())
        var bytes = AgeIdentityFile.render(identity, created: created).copyBytes()
        defer { bytes.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        try OutputTarget(path: output).write(bytes, confidential: true)
        if output != nil && output != "-" || isatty(STDOUT_FILENO) == 0 {
            Console.err("Public key: \(identity.recipient)\n")
        }
    }

    /// Go's `time.RFC3339` in local time, as age-keygen writes it: `2006-01-02T15:04:05-07:00`,
    /// or `Z` for UTC.
    static func rfc3339(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssXXXXX"
        return formatter.string(from: date)
    }
}
