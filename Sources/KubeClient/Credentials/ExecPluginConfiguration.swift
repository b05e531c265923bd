import Foundation
public import SealKit

/// A kubeconfig `users[].user.exec` stanza: a program that prints an `ExecCredential` (the
/// client-go credential plugin protocol used by `aws eks get-token`, `gke-gcloud-auth-plugin`,
/// `kubelogin` and others).
public struct ExecPluginConfiguration: Sendable {
    /// When the plugin may talk to the user (prompt for a password, open a browser and wait).
    public enum InteractiveMode: String, Sendable {
        /// Never: stdin is closed to it.
        case never = "Never"
        /// When stdin is a terminal that nothing else is reading.
        case ifAvailable = "IfAvailable"
        /// Required: without a free terminal on stdin the plugin is not run.
        case always = "Always"
    }

    public static let supportedVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    /// As written in the kubeconfig; a relative path with a slash has already been made absolute
    /// against the kubeconfig file's directory.
    public var command: String
    public var arguments: [String]
    /// Added to (and overriding) this process's environment for the plugin.
    public var environment: [(name: String, value: String)]
    public var apiVersion: String
    public var installHint: String?
    public var interactiveMode: InteractiveMode
    /// Whether `KUBERNETES_EXEC_INFO` carries `spec.cluster`.
    public var provideClusterInfo: Bool

    /// Reads an `exec` mapping. `baseDirectory` is the directory of the kubeconfig file that
    /// defined the user, as kubectl resolves `./bin/plugin` against it.
    ///
    /// - Throws: `KubeError(.configuration)` naming the user and the field that is wrong.
    public init(_ exec: Mapping, user: String, baseDirectory: String) throws(KubeError) {
        func failure(_ message: String) -> KubeError {
            KubeError(.configuration, "user \"\(user)\": exec: \(message)")
        }
        guard let command = exec["command"]?.scalar?.text, !command.isEmpty else { throw failure("command is missing") }
        guard let apiVersion = exec["apiVersion"]?.scalar?.text, !apiVersion.isEmpty else {
            throw failure("apiVersion is missing (use client.authentication.k8s.io/v1)")
        }
        guard Self.supportedVersions.contains(apiVersion) else {
            throw failure("apiVersion \(apiVersion) is not supported (use client.authentication.k8s.io/v1 or v1beta1)")
        }
        self.apiVersion = apiVersion
        if command.contains("/"), !command.hasPrefix("/") {
            self.command = URL(fileURLWithPath: baseDirectory).appendingPathComponent(command).standardized.path
        } else {
            self.command = command
        }
        arguments = []
        for argument in exec["args"]?.sequence ?? [] {
            guard let text = argument.scalar?.text else { throw failure("args must be a list of strings") }
            arguments.append(text)
        }
        environment = []
        for entry in exec["env"]?.sequence ?? [] {
            guard let pair = entry.mapping, let name = pair["name"]?.scalar?.text, !name.isEmpty,
                  let value = pair["value"]?.scalar?.text
            else { throw failure("env entries need name and value") }
            environment.append((name, value))
        }
        let hint = exec["installHint"]?.scalar?.text ?? ""
        installHint = hint.isEmpty ? nil : hint
        provideClusterInfo = exec["provideClusterInfo"]?.scalar?.boolValue ?? false
        let mode = exec["interactiveMode"]?.scalar?.text ?? ""
        if mode.isEmpty {
            // v1 makes the field required; v1beta1 defaults it to IfAvailable.
            guard apiVersion != "client.authentication.k8s.io/v1" else {
                throw failure("interactiveMode is required with client.authentication.k8s.io/v1 (Never, IfAvailable or Always)")
            }
            interactiveMode = .ifAvailable
        } else {
            guard let parsed = InteractiveMode(rawValue: mode) else {
                throw failure("interactiveMode \"\(mode)\" is not Never, IfAvailable or Always")
            }
            interactiveMode = parsed
        }
    }
}

/// What a plugin learns about the cluster through `KUBERNETES_EXEC_INFO` when the kubeconfig
/// sets `provideClusterInfo: true` (`spec.cluster` of the ExecCredential).
public struct ExecClusterInfo: Sendable {
    public var server: String
    public var tlsServerName: String?
    public var insecureSkipTLSVerify: Bool
    public var certificateAuthorityPEM: [UInt8]?
    public var proxyURL: String?
    public var disableCompression: Bool
    /// The cluster's `extensions` entry named `client.authentication.k8s.io/exec`, passed as is.
    public var config: Node?

    public init(server: String, tlsServerName: String? = nil, insecureSkipTLSVerify: Bool = false,
                certificateAuthorityPEM: [UInt8]? = nil, proxyURL: String? = nil, disableCompression: Bool = false,
                config: Node? = nil) {
        self.server = server
        self.tlsServerName = tlsServerName
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.proxyURL = proxyURL
        self.disableCompression = disableCompression
        self.config = config
    }

    /// The JSON form client-go writes: CA data as base64 (a Go `[]byte`), empty fields omitted.
    var node: Node {
        var cluster = Mapping()
        cluster["server"] = .string(server)
        if let tlsServerName, !tlsServerName.isEmpty { cluster["tls-server-name"] = .string(tlsServerName) }
        if insecureSkipTLSVerify { cluster["insecure-skip-tls-verify"] = .bool(true) }
        if let certificateAuthorityPEM, !certificateAuthorityPEM.isEmpty {
            cluster["certificate-authority-data"] = .string(Base64.encode(certificateAuthorityPEM))
        }
        if let proxyURL, !proxyURL.isEmpty { cluster["proxy-url"] = .string(proxyURL) }
        if disableCompression { cluster["disable-compression"] = .bool(true) }
        if let config { cluster["config"] = config }
        return .mapping(cluster)
    }
}
