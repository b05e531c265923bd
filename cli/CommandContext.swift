import Foundation
import SealKit

/// What the sealing actions share: the parsed options and the lookups they imply.
struct CommandContext {
    let sealing: SealingOptions
    let io: InputOutputOptions
    let recovery: RecoveryOptions
    let cluster: ClusterOptions

    /// The certificate from `--cert`, else from the controller through the API server (as
    /// kubeseal does). Either way it is validated before use.
    func certificate() async throws(CLIFailure) -> Certificate {
        if let location = sealing.cert {
            return try await CertificateSource.load(location)
        }
        let pem = try await ControllerProxy.with(cluster) { controller throws(CLIFailure) in try await controller.certificate() }
        return try CertificateSource.parse(pem, source: "certificate of controller \(cluster.controllerName) in \(cluster.controllerNamespace)")
    }

    /// The namespace used when a Secret does not set one: `-n`, else the kubeconfig context's,
    /// else `default` — the order kubeseal and kubectl use.
    func defaultNamespace() throws(CLIFailure) -> String {
        if let namespace = sealing.namespace, !namespace.isEmpty { return namespace }
        do {
            let kubeconfig = try Kubeconfig.load(explicitPath: cluster.kubeconfig)
            if let namespace = kubeconfig.namespace(context: cluster.context) { return namespace }
            if let context = cluster.context, kubeconfig.contexts[context] == nil, !kubeconfig.files.isEmpty {
                throw CLIFailure("context \"\(context)\" is not in the kubeconfig")
            }
        } catch let error as CLIFailure {
            throw error
        } catch {
            throw CLIFailure(CLIFailure.describe(error))
        }
        return "default"
    }

    /// Every private key named by `--recovery-private-key` (repeatable, comma-separated).
    func recoveryKeys() throws(CLIFailure) -> [PrivateKey] {
        let paths = recovery.recoveryPrivateKey.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        guard !paths.isEmpty else {
            throw CLIFailure("--recovery-unseal needs at least one --recovery-private-key FILE")
        }
        var keys: [PrivateKey] = []
        for path in paths {
            let file = try InputFile.read(path)
            do { keys += try KeySecrets.privateKeys(from: file.bytes) } catch {
                throw CLIFailure(source: path, error)
            }
        }
        return keys
    }
}
