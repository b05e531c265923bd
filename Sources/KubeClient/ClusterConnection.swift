public import Foundation
public import SealKit

/// How to reach and authenticate to one API server: resolved from a kubeconfig context or from
/// the in-cluster service account, the two ways kubectl and client-go connect.
public struct ClusterConnection: Sendable {
    public enum Credentials: Sendable {
        case none
        /// A bearer token, re-read from its file when that changes (projected tokens rotate).
        case bearer(TokenSource)
        case basic(username: String, password: String)
    }

    /// `https://host:port` (or http for local test servers), without a trailing slash.
    public var server: URL
    /// PEM bundle of CAs to trust; nil means the system trust store.
    public var certificateAuthorityPEM: [UInt8]?
    /// Skip server certificate verification (kubeconfig `insecure-skip-tls-verify`).
    public var insecureSkipTLSVerify: Bool
    /// PEM client certificate chain and key, for certificate authentication.
    public var clientCertificatePEM: [UInt8]?
    public var clientKeyPEM: SecretBytes?
    public var credentials: Credentials
    /// The default namespace of this context ("default" when none is set).
    public var namespace: String

    public init(server: URL, certificateAuthorityPEM: [UInt8]? = nil, insecureSkipTLSVerify: Bool = false,
                clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: SecretBytes? = nil,
                credentials: Credentials = .none, namespace: String = "default") {
        self.server = server
        self.certificateAuthorityPEM = certificateAuthorityPEM
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.clientCertificatePEM = clientCertificatePEM
        self.clientKeyPEM = clientKeyPEM
        self.credentials = credentials
        self.namespace = namespace
    }

    /// The connection kubectl would use: an explicit `--kubeconfig`, `KUBECONFIG`, or
    /// `~/.kube/config` when one exists, else the in-cluster service account.
    public static func resolve(kubeconfigPath: String?, context: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(KubeError) -> ClusterConnection {
        let kubeconfig: Kubeconfig
        do { kubeconfig = try Kubeconfig.load(explicitPath: kubeconfigPath, environment: environment) } catch {
            throw KubeError(.configuration, error.message)
        }
        if !kubeconfig.files.isEmpty {
            return try fromKubeconfig(kubeconfig, context: context)
        }
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            return try inCluster(environment: environment)
        }
        throw KubeError(.configuration, "no kubeconfig found (looked at --kubeconfig, $KUBECONFIG, ~/.kube/config) and not running in a cluster")
    }

    /// The connection of a kubeconfig context (`context`, else `current-context`).
    public static func fromKubeconfig(_ kubeconfig: Kubeconfig, context: String?) throws(KubeError) -> ClusterConnection {
        guard let contextName = context ?? kubeconfig.currentContext else {
            throw KubeError(.configuration, "the kubeconfig has no current-context; pass --context")
        }
        guard let entry = kubeconfig.contexts[contextName] else {
            throw KubeError(.configuration, "context \"\(contextName)\" is not in the kubeconfig")
        }
        guard let clusterName = entry.cluster, let cluster = kubeconfig.clusters[clusterName] else {
            throw KubeError(.configuration, "context \"\(contextName)\" names cluster \"\(entry.cluster ?? "")\", which the kubeconfig does not define")
        }
        let user = entry.user.flatMap { kubeconfig.users[$0] } ?? Mapping()
        let base = KubeconfigFields(baseDirectory: kubeconfig.directory(definingCluster: clusterName))
        let userFields = KubeconfigFields(baseDirectory: entry.user.flatMap { kubeconfig.directory(definingUser: $0) } ?? base.baseDirectory)

        guard let serverText = cluster["server"]?.scalar?.text, let server = URL(string: serverText.hasSuffix("/") ? String(serverText.dropLast()) : serverText),
              server.scheme == "https" || server.scheme == "http"
        else {
            throw KubeError(.configuration, "cluster \"\(clusterName)\" has no valid server URL")
        }
        if let serverName = cluster["tls-server-name"]?.scalar?.text, !serverName.isEmpty {
            throw KubeError(.configuration, "cluster \"\(clusterName)\": tls-server-name is not supported; point server at a name in the certificate")
        }
        var connection = ClusterConnection(server: server, namespace: entry.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
        connection.certificateAuthorityPEM = try base.bytes(cluster, data: "certificate-authority-data", file: "certificate-authority")
        connection.insecureSkipTLSVerify = cluster["insecure-skip-tls-verify"]?.scalar?.boolValue ?? false

        connection.clientCertificatePEM = try userFields.bytes(user, data: "client-certificate-data", file: "client-certificate")
        connection.clientKeyPEM = try userFields.bytes(user, data: "client-key-data", file: "client-key").map { SecretBytes($0) }
        if (connection.clientCertificatePEM == nil) != (connection.clientKeyPEM == nil) {
            throw KubeError(.configuration, "user \"\(entry.user ?? "")\" needs both client-certificate and client-key")
        }
        if let token = user["token"]?.scalar?.text, !token.isEmpty {
            connection.credentials = .bearer(TokenSource(token: token))
        } else if let tokenFile = user["tokenFile"]?.scalar?.text, !tokenFile.isEmpty {
            connection.credentials = .bearer(try TokenSource(file: userFields.path(tokenFile)))
        } else if let username = user["username"]?.scalar?.text, let password = user["password"]?.scalar?.text {
            connection.credentials = .basic(username: username, password: password)
        } else if user["exec"] != nil || user["auth-provider"] != nil {
            throw KubeError(.configuration, "user \"\(entry.user ?? "")\" uses an exec or auth-provider credential plugin, which SealKit does not run; use a token or client certificate")
        }
        return connection
    }

    /// Inside a pod: `KUBERNETES_SERVICE_HOST/PORT`, the projected service-account token (re-read
    /// as the kubelet rotates it), its CA and namespace.
    public static func inCluster(environment: [String: String] = ProcessInfo.processInfo.environment,
                                 serviceAccountDirectory: String = "/var/run/secrets/kubernetes.io/serviceaccount") throws(KubeError) -> ClusterConnection {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"] else {
            throw KubeError(.configuration, "not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(hostPart):\(port)") else {
            throw KubeError(.configuration, "KUBERNETES_SERVICE_HOST/PORT do not form a URL")
        }
        guard let ca = FileManager.default.contents(atPath: serviceAccountDirectory + "/ca.crt") else {
            throw KubeError(.configuration, "cannot read \(serviceAccountDirectory)/ca.crt")
        }
        let namespaceBytes = FileManager.default.contents(atPath: serviceAccountDirectory + "/namespace")
        let namespace = namespaceBytes.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        return ClusterConnection(
            server: server,
            certificateAuthorityPEM: Array(ca),
            credentials: .bearer(try TokenSource(file: serviceAccountDirectory + "/token")),
            namespace: namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        )
    }
}

/// Reads `*-data` (base64) or file-path fields of kubeconfig entries; relative paths resolve
/// against the directory of the kubeconfig file that defined the entry, as kubectl does.
private struct KubeconfigFields {
    let baseDirectory: String

    func path(_ value: String) -> String {
        value.hasPrefix("/") ? value : baseDirectory + "/" + value
    }

    func bytes(_ entry: Mapping, data: String, file: String) throws(KubeError) -> [UInt8]? {
        if let encoded = entry[data]?.scalar?.text, !encoded.isEmpty {
            do { return try Base64.decode(encoded) } catch {
                throw KubeError(.configuration, "kubeconfig field \(data) is not valid base64: \(error)")
            }
        }
        if let location = entry[file]?.scalar?.text, !location.isEmpty {
            guard let contents = FileManager.default.contents(atPath: path(location)) else {
                throw KubeError(.configuration, "cannot read \(file) \(path(location))")
            }
            return Array(contents)
        }
        return nil
    }
}

extension Kubeconfig {
    fileprivate func directory(definingCluster name: String) -> String {
        directory(of: clusterSources[name])
    }

    fileprivate func directory(definingUser name: String) -> String {
        directory(of: userSources[name])
    }

    private func directory(of file: String?) -> String {
        guard let file, let slash = file.lastIndex(of: "/") else { return FileManager.default.currentDirectoryPath }
        return String(file[..<slash])
    }
}
