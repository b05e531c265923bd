import Foundation
import KubeClient
import SealKit

/// What the sealing actions share: the parsed options and the lookups they imply.
struct CommandContext {
    let certificate: CertificateOption
    let keys: RecoveryKeysOption
    let connection: ConnectionOptions
    let namespaceFlag: String?
    /// Whether this command reads its input from stdin, which credential plugins must then
    /// leave alone.
    let standardInputInUse: Bool
    private let sealingOptions: SealingOptions?
    private let inputOutput: InputOutputOptions?

    init(certificate: CertificateOption, keys: RecoveryKeysOption, connection: ConnectionOptions, namespaceFlag: String?,
         sealing: SealingOptions? = nil, io: InputOutputOptions? = nil, standardInputInUse: Bool = false) {
        self.standardInputInUse = standardInputInUse
        self.certificate = certificate
        self.keys = keys
        self.connection = connection
        self.namespaceFlag = namespaceFlag
        sealingOptions = sealing
        inputOutput = io
    }

    /// The sealing command's own options (subcommands such as `reseal` have none).
    var sealing: SealingOptions {
        guard let sealingOptions else { preconditionFailure("this command has no sealing options") }
        return sealingOptions
    }

    var io: InputOutputOptions {
        guard let inputOutput else { preconditionFailure("this command has no input/output options") }
        return inputOutput
    }

    /// The certificate from `--cert`, else from the controller through the API server (as
    /// kubeseal does). Either way it is validated before use.
    func certificate() async throws(CLIFailure) -> Certificate {
        if let location = certificate.cert {
            return try await CertificateSource.load(location)
        }
        let pem = try await ControllerProxy.with(connection, standardInputInUse: standardInputInUse) { controller throws(CLIFailure) in try await controller.certificate() }
        return try CertificateSource.parse(pem, source: "certificate of controller \(connection.controllerName) in \(connection.controllerNamespace)")
    }

    /// The namespace used when a Secret does not set one: `-n`, else the kubeconfig context's,
    /// else `default` — the order kubeseal and kubectl use.
    func defaultNamespace() throws(CLIFailure) -> String {
        if let namespace = namespaceFlag, !namespace.isEmpty { return namespace }
        do {
            let kubeconfig = try Kubeconfig.load(explicitPath: connection.kubeconfig)
            if let namespace = kubeconfig.namespace(context: connection.context) { return namespace }
            if let context = connection.context, kubeconfig.contexts[context] == nil, !kubeconfig.files.isEmpty {
                throw CLIFailure("context \"\(context)\" is not in the kubeconfig")
            }
        } catch let error as CLIFailure {
            throw error
        } catch {
            throw CLIFailure(CLIFailure.describe(error))
        }
        return "default"
    }

    /// Every private key named by `--recovery-private-key`.
    func recoveryKeys() throws(CLIFailure) -> [PrivateKey] {
        try keys.load()
    }
}

extension RecoveryKeysOption {
    /// Every private key named by `--recovery-private-key` (repeatable, comma-separated).
    func load() throws(CLIFailure) -> [PrivateKey] {
        let paths = recoveryPrivateKey.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        guard !paths.isEmpty else {
            throw CLIFailure("needs at least one --recovery-private-key FILE")
        }
        var keys: [PrivateKey] = []
        for path in paths {
            var file = try InputFile.readPrivateKeys(path, allowInsecure: allowInsecureKeyFile)
            // The keys now live inside OpenSSL; the file's bytes are wiped.
            defer { file.bytes.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
            do { keys += try KeySecrets.privateKeys(from: file.bytes) } catch {
                throw CLIFailure(source: path, error)
            }
        }
        return keys
    }
}
