import ArgumentParser
import Foundation
import SealKit

/// `sealkit`: kubeseal-compatible sealing, merging and offline unsealing. With no subcommand it
/// behaves like kubeseal, so `alias kubeseal=sealkit` keeps existing scripts working.
@main
struct SealkitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealkit",
        abstract: "Seal Kubernetes Secrets so they can live in git; only the cluster can unseal them.",
        discussion: """
            Reads a Secret (YAML or JSON, several documents allowed) from stdin or -f and writes \
            a SealedSecret to stdout or -w. Every flag can also be set through an environment \
            variable SEALED_SECRETS_<FLAG>, e.g. SEALED_SECRETS_CERT=cert.pem.

            Examples:
              sealkit --cert cert.pem < secret.yaml > sealed.json
              sealkit --cert cert.pem -f secret.yaml -w sealed.yaml
              echo -n hunter2 | sealkit --cert cert.pem --raw -n prod --name db
              sealkit --cert cert.pem --merge-into sealed.yaml < new-items.yaml
              sealkit --recovery-unseal --recovery-private-key backup.yaml < sealed.yaml
            """,
        version: SealKitVersion.current,
        subcommands: [KeysCommand.self, ResealCommand.self, UICommand.self]
    )

    @OptionGroup(title: "Sealing")
    var sealing: SealingOptions

    @OptionGroup(title: "Input and output")
    var io: InputOutputOptions

    @OptionGroup(title: "Recovery (offline unsealing)")
    var recovery: RecoveryOptions

    @OptionGroup(title: "Cluster")
    var cluster: ClusterOptions

    static func main() async {
        // A closed pipe (`sealkit ... | head`, a child that exits early) is an error to
        // handle where it happens, not a signal that kills the process.
        signal(SIGPIPE, SIG_IGN)
        ProcessHardening.disableCoreDumps()
        let arguments = EnvironmentFlags.apply(
            to: Array(CommandLine.arguments.dropFirst()),
            environment: ProcessInfo.processInfo.environment
        )
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

    func validate() throws {
        if recovery.recoveryUnseal, sealing.raw {
            throw ValidationError("--recovery-unseal and --raw cannot be combined")
        }
        if [recovery.recoveryUnseal, cluster.validate, cluster.reEncrypt, cluster.fetchCert].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --recovery-unseal, --validate, --re-encrypt and --fetch-cert")
        }
        if io.mergeInto != nil, io.output != nil {
            throw ValidationError("--merge-into rewrites its file in place; do not combine it with -w")
        }
        if !sealing.fromFile.isEmpty, !sealing.raw {
            throw ValidationError("--from-file is only used with --raw")
        }
    }

    func run() async throws {
        if cluster.rotate { Console.err("Flag --rotate has been deprecated, please use --re-encrypt instead\n") }
        let context = CommandContext(certificate: sealing.certificate, keys: recovery.keys, connection: cluster.connection,
                                     namespaceFlag: sealing.namespace, sealing: sealing, io: io,
                                     standardInputInUse: !cluster.fetchCert && io.input == nil && !(sealing.raw && !sealing.fromFile.isEmpty))
        if recovery.recoveryUnseal {
            try RecoveryUnseal(context: context).run()
        } else if cluster.fetchCert {
            let certificate = try await context.certificate()
            try OutputTarget(path: io.output).write(Array(certificate.pem().utf8))
        } else if cluster.validate {
            try await ValidateSealedSecrets(context: context).run()
        } else if cluster.reEncrypt {
            try await ReEncryptSealedSecrets(context: context).run()
        } else if sealing.raw {
            try await RawSeal(context: context).run()
        } else {
            try await SealSecrets(context: context).run()
        }
    }
}

/// `--cert`, shared by sealing and `reseal`.
struct CertificateOption: ParsableArguments {
    @Option(help: ArgumentHelp("Certificate to seal with: a PEM file path or an http(s) URL (default: fetch it from the controller).",
                               valueName: "file|url"))
    var cert: String?
}

struct SealingOptions: ParsableArguments {
    @OptionGroup var certificate: CertificateOption

    @Option(help: ArgumentHelp("strict (default), namespace-wide or cluster-wide. Overrides the Secret's scope annotations.",
                               valueName: "scope"))
    var scope: SealingScope?

    @Flag(help: "Seal one raw value (from stdin or --from-file) and print its ciphertext.")
    var raw = false

    @Option(help: "Name of the sealed secret: renames the input Secret, and is required with --raw in strict scope.")
    var name: String?

    @Option(name: [.customShort("n"), .long], help: "Namespace to seal for (default: the Secret's own, else the kubeconfig context's, else default).")
    var namespace: String?

    @Option(name: .customLong("from-file"), help: ArgumentHelp("File holding the raw value ([key=]path).", valueName: "path"))
    var fromFile: [String] = []

    @Flag(help: "Seal a Secret that has no data.")
    var allowEmptyData = false
}

struct InputOutputOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("secret-file")], help: ArgumentHelp("Input file (default: stdin).", valueName: "file"))
    var input: String?

    @Option(name: [.customShort("w"), .customLong("sealed-secret-file")],
            help: ArgumentHelp("Output file, written atomically (default: stdout).", valueName: "file"))
    var output: String?

    @Option(name: [.customShort("o"), .customLong("format")],
            help: ArgumentHelp("json or yaml (default: json, or yaml when -w ends in .yaml/.yml).", valueName: "format"))
    var format: OutputFormat?

    @Option(name: .customLong("merge-into"),
            help: ArgumentHelp("Seal the input Secret's items into this existing SealedSecret file, in place.", valueName: "file"))
    var mergeInto: String?
}

/// `--recovery-private-key`, shared by `--recovery-unseal` and `reseal`.
struct RecoveryKeysOption: ParsableArguments {
    @Option(help: ArgumentHelp("Private key file: PEM, a key Secret, or a List of them. Repeatable or comma-separated.",
                               valueName: "file"))
    var recoveryPrivateKey: [String] = []

    @Flag(help: "Read --recovery-private-key files even when group or others may read them (refused by default, as ssh does).")
    var allowInsecureKeyFile = false
}

struct RecoveryOptions: ParsableArguments {
    @Flag(help: "Decrypt SealedSecrets offline with backed-up private keys (disaster recovery).")
    var recoveryUnseal = false

    @OptionGroup var keys: RecoveryKeysOption
}

struct ClusterOptions: ParsableArguments {
    @Flag(help: "Print the sealing certificate (from --cert, else from the controller) and exit.")
    var fetchCert = false

    @Flag(help: "Ask the controller whether a SealedSecret can be decrypted.")
    var validate = false

    @Flag(name: .customLong("re-encrypt"), help: "Re-encrypt a SealedSecret with the controller's newest key (with -f and no -w: in place).")
    var reEncryptFlag = false

    /// kubeseal's deprecated spelling of --re-encrypt, still accepted by it.
    @Flag(name: .customLong("rotate"), help: .hidden)
    var rotate = false

    var reEncrypt: Bool { reEncryptFlag || rotate }

    @OptionGroup var connection: ConnectionOptions
}

/// How to reach the controller through the API server; shared by the sealing command and `reseal`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Path to a kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).", valueName: "file"))
    var kubeconfig: String?

    @Option(help: "The kubeconfig context to use.")
    var context: String?

    @Option(help: "Name of the sealed-secrets controller Service.")
    var controllerName = "sealed-secrets-controller"

    @Option(help: "Namespace of the sealed-secrets controller.")
    var controllerNamespace = "kube-system"

    @OptionGroup(title: "kubectl connection flags")
    var kubectl: KubectlConnectionFlags
}

extension SealingScope: ExpressibleByArgument {}
