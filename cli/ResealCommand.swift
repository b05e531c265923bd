import ArgumentParser
import Foundation
import SealKit

/// `sealkit reseal PATH...`: re-encrypt every SealedSecret in a repository to a new key, in
/// place and byte-preserving, offline (old private keys + new certificate) or through the
/// controller's `/v1/rotate`.
struct ResealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reseal",
        abstract: "Re-seal every SealedSecret under the given paths to a new key (key rotation).",
        discussion: """
            Walks files and directories (YAML and JSON, multi-document files, kustomize trees), \
            skipping .git and anything git ignores, and re-seals each encryptedData item. Only the \
            ciphertext scalars change: comments, key order, quoting and other documents stay byte \
            for byte. Each file is written atomically. Scope, name and namespace are kept exactly.

            Offline (default): --recovery-private-key gives the old keys, --cert the target. Items \
            the target's own key opens (pass it among the private keys) are left alone, so a second \
            run changes nothing; --only-keys limits the change to items sealed to given keys.
            Online (--online): the controller re-seals each object with its newest key.

            Examples:
              sealkit reseal . --recovery-private-key old.key,new.key --cert new.crt
              sealkit reseal manifests/ --recovery-private-key backup.yaml --cert prod.crt --dry-run
              sealkit reseal . --online --report json > report.json
            """
    )

    @Argument(help: "Files or directories to re-seal.")
    var paths: [String]

    @OptionGroup(title: "Target")
    var certificate: CertificateOption

    @OptionGroup(title: "Old keys (offline mode)")
    var keys: RecoveryKeysOption

    @OptionGroup(title: "Controller (online mode, and --cert from the controller)")
    var connection: ConnectionOptions

    @Flag(help: "Ask the controller to re-seal (through the API server proxy) instead of using private keys.")
    var online = false

    @Option(name: .customLong("only-keys"), parsing: .upToNextOption,
            help: ArgumentHelp("Only re-seal items sealed to these key fingerprints (SHA256:...).", valueName: "fingerprint"))
    var onlyKeys: [String] = []

    @Flag(help: "List what would change; write nothing.")
    var dryRun = false

    @Flag(name: .customLong("from-sops"), help: ArgumentHelp(
        "Convert SOPS-encrypted Secrets into SealedSecrets (age identities as sops finds them), written beside each file as NAME.sealed.yaml.",
        discussion: "Needs the target certificate (--cert, or the controller's). Other files are not touched."))
    var fromSOPS = false

    @Flag(help: "With --from-sops: replace each SOPS file with its SealedSecrets instead of writing beside it.")
    var replace = false

    @Option(help: ArgumentHelp("Also print a machine-readable report: json.", valueName: "format"))
    var report: ReportFormat?

    enum ReportFormat: String, ExpressibleByArgument {
        case json
    }

    func run() async throws {
        let failures: Int
        do {
            failures = try await execute()
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(CLIFailure.describe(error))
        }
        if failures > 0 { throw ExitCode.failure }
    }

    func validate() throws {
        if replace, !fromSOPS { throw ValidationError("--replace is only used with --from-sops") }
        if fromSOPS, online || !onlyKeys.isEmpty { throw ValidationError("--from-sops cannot be combined with --online or --only-keys") }
    }

    /// Runs the re-seal and returns how many items or files failed.
    private func execute() async throws -> Int {
        let context = CommandContext(certificate: certificate, keys: keys, connection: connection, namespaceFlag: nil)
        let files = try RepositoryWalker.files(under: paths)
        if fromSOPS {
            let outcome = try await ResealFromSOPS(context: context, replace: replace, dryRun: dryRun).run(files)
            Console.err((outcome.skipped.map { "skipped \($0)\n" } + outcome.failed.map { "failed: \($0)\n" }).joined())
            Console.err("files scanned \(outcome.scanned), SOPS files \(dryRun ? "to convert" : "converted") \(outcome.converted), Secrets sealed \(outcome.secrets), skipped \(outcome.skipped.count), failed \(outcome.failed.count)\n")
            return outcome.failed.count
        }
        let strategy: FileResealer.Strategy
        var controller: ControllerProxy?
        if online {
            let proxy = try ControllerProxy.connect(connection)
            controller = proxy
            strategy = .online { sealed in
                let answer = try await proxy.rotate(JSONWriter.write(sealed.node(), pretty: false))
                guard let root = try YAMLReader.manifests(answer).first?.root else { throw CLIFailure("empty answer from the controller") }
                return try SealedSecret(node: root)
            }
        } else {
            let keys = try context.recoveryKeys()
            let target = try await context.certificate()
            strategy = .offline(oldKeys: keys, target: target.publicKey, onlyKeys: onlyKeys.isEmpty ? nil : Set(onlyKeys))
        }
        let progress = Progress(total: files.count)
        let results = await ResealRun(resealer: FileResealer(strategy: strategy), dryRun: dryRun).run(files, progress: progress)
        await controller?.client.shutdown()
        progress.finish()

        let summary = ResealSummary(results)
        Console.err((summary.lines(dryRun: dryRun) + [summary.totals(dryRun: dryRun)]).map { $0 + "\n" }.joined())
        if report == .json {
            try Console.out(JSONWriter.write(summary.report(dryRun: dryRun)))
        }
        return summary.failed
    }
}
