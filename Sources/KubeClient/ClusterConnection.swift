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
        /// A kubeconfig `exec` plugin, run when a request first needs its credential.
        case exec(ExecCredentialProvider)
        /// kubeconfig `auth-provider: oidc`: the id-token, refreshed when it expires.
        case oidc(OIDCAuthProvider)
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
    /// The name to expect in the server's certificate (and send as SNI) when it differs from
    /// the host in `server` (kubeconfig `tls-server-name`, `--tls-server-name`).
    public var tlsServerName: String?
    /// Kubeconfig `proxy-url`: used for every request when set (http:// or socks5://).
    public var proxyURL: String?
    /// `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` as read when the connection was resolved; used
    /// when `proxyURL` is not set.
    public var proxyEnvironment = ProxyEnvironment()
    /// Kubeconfig `disable-compression`: do not ask the server for gzip-compressed responses.
    public var disableCompression = false
    /// Act as another user (`--as` or the kubeconfig's `as`).
    public var impersonation: Impersonation?
    /// Time limit of one request (`--request-timeout`); nil is the client's default, and
    /// `.zero` means none.
    public var requestTimeout: Duration?

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
    /// `~/.kube/config` when one exists, else the in-cluster service account; command-line
    /// `overrides` on top (with `--server`, no kubeconfig is needed at all).
    public static func resolve(kubeconfigPath: String?, context: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               overrides: ConnectionOverrides = ConnectionOverrides()) throws(KubeError) -> ClusterConnection {
        let kubeconfig = try Kubeconfig.load(explicitPath: kubeconfigPath, environment: environment)
        if !kubeconfig.files.isEmpty || overrides.definesServer {
            return try fromKubeconfig(kubeconfig, context: context, environment: environment, overrides: overrides)
        }
        if environment["KUBERNETES_SERVICE_HOST"] != nil {
            var connection = try inCluster(environment: environment)
            connection.proxyEnvironment = ProxyEnvironment(environment: environment)
            try connection.apply(overrides, userName: "")
            return connection
        }
        throw KubeError(.configuration, "no kubeconfig found (looked at --kubeconfig, $KUBECONFIG, ~/.kube/config) and not running in a cluster")
    }

    /// The connection of a kubeconfig context (`context`, else `current-context`), with
    /// `--cluster`/`--user` choosing other entries and the other overrides applied on top.
    public static func fromKubeconfig(_ kubeconfig: Kubeconfig, context: String?,
                                      environment: [String: String] = ProcessInfo.processInfo.environment,
                                      overrides: ConnectionOverrides = ConnectionOverrides()) throws(KubeError) -> ClusterConnection {
        let contextName = context ?? kubeconfig.currentContext
        let entry = contextName.flatMap { kubeconfig.contexts[$0] }
        if let contextName, entry == nil, context != nil || !overrides.definesServer {
            throw KubeError(.configuration, "context \"\(contextName)\" is not in the kubeconfig")
        }
        let clusterName = overrides.cluster ?? entry?.cluster
        let userName = overrides.user ?? entry?.user
        var cluster = Mapping()
        if let clusterName, let found = kubeconfig.clusters[clusterName] {
            cluster = found
        } else if let clusterName, overrides.cluster != nil || !overrides.definesServer {
            let owner = overrides.cluster != nil ? "--cluster" : "context \"\(contextName ?? "")\""
            throw KubeError(.configuration, "\(owner) names cluster \"\(clusterName)\", which the kubeconfig does not define")
        } else if clusterName == nil, !overrides.definesServer {
            throw KubeError(.configuration, "the kubeconfig has no current-context; pass --context (or --server)")
        }
        var user = Mapping()
        if let userName, let found = kubeconfig.users[userName] {
            user = found
        } else if let userName, overrides.user != nil {
            throw KubeError(.configuration, "--user names user \"\(userName)\", which the kubeconfig does not define")
        }
        let base = KubeconfigFields(baseDirectory: clusterName.map { kubeconfig.directory(definingCluster: $0) }
            ?? FileManager.default.currentDirectoryPath)
        let userFields = KubeconfigFields(baseDirectory: userName.flatMap { kubeconfig.userSources[$0] != nil ? kubeconfig.directory(definingUser: $0) : nil } ?? base.baseDirectory)
        let displayCluster = clusterName ?? "--server"

        let serverText = overrides.server.flatMap { $0.isEmpty ? nil : $0 } ?? cluster["server"]?.scalar?.text ?? ""
        guard let server = URL(string: serverText.hasSuffix("/") ? String(serverText.dropLast()) : serverText),
              server.scheme == "https" || server.scheme == "http", server.host != nil
        else {
            if overrides.server?.isEmpty == false {
                throw KubeError(.configuration, "--server \(serverText) is not an http(s) URL")
            }
            throw KubeError(.configuration, "cluster \"\(displayCluster)\" has no valid server URL")
        }
        var connection = ClusterConnection(server: server, namespace: entry?.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default")
        connection.certificateAuthorityPEM = try base.bytes(cluster, data: "certificate-authority-data", file: "certificate-authority")
        connection.insecureSkipTLSVerify = cluster["insecure-skip-tls-verify"]?.scalar?.boolValue ?? false
        if let name = cluster["tls-server-name"]?.scalar?.text, !name.isEmpty { connection.tlsServerName = name }
        if let proxy = cluster["proxy-url"]?.scalar?.text, !proxy.isEmpty { connection.proxyURL = proxy }
        connection.proxyEnvironment = ProxyEnvironment(environment: environment)
        connection.disableCompression = cluster["disable-compression"]?.scalar?.boolValue ?? false
        connection.impersonation = try Self.impersonation(of: user, name: userName ?? "")

        connection.clientCertificatePEM = try userFields.bytes(user, data: "client-certificate-data", file: "client-certificate")
        connection.clientKeyPEM = try userFields.bytes(user, data: "client-key-data", file: "client-key").map { SecretBytes($0) }
        if (connection.clientCertificatePEM == nil) != (connection.clientKeyPEM == nil) {
            throw KubeError(.configuration, "user \"\(userName ?? "")\" needs both client-certificate and client-key")
        }
        if let token = user["token"]?.scalar?.text, !token.isEmpty {
            connection.credentials = .bearer(TokenSource(token: token))
        } else if let tokenFile = user["tokenFile"]?.scalar?.text, !tokenFile.isEmpty {
            connection.credentials = .bearer(try TokenSource(file: userFields.path(tokenFile)))
        } else if let username = user["username"]?.scalar?.text, let password = user["password"]?.scalar?.text {
            connection.credentials = .basic(username: username, password: password)
        } else if let exec = user["exec"]?.mapping {
            let plugin = try ExecPluginConfiguration(exec, user: userName ?? "", baseDirectory: userFields.baseDirectory)
            let info = ExecClusterInfo(
                server: serverText, tlsServerName: overrides.tlsServerName ?? cluster["tls-server-name"]?.scalar?.text,
                insecureSkipTLSVerify: overrides.insecureSkipTLSVerify ?? connection.insecureSkipTLSVerify,
                certificateAuthorityPEM: connection.certificateAuthorityPEM,
                proxyURL: cluster["proxy-url"]?.scalar?.text, disableCompression: cluster["disable-compression"]?.scalar?.boolValue ?? false,
                config: Self.execExtension(of: cluster))
            connection.credentials = .exec(ExecCredentialProvider(configuration: plugin, cluster: info, environment: environment,
                                                                  standardInputInUse: overrides.standardInputInUse))
        } else if let provider = user["auth-provider"]?.mapping {
            connection.credentials = try Self.authProvider(provider, userName: userName ?? "",
                                                           file: userName.flatMap { kubeconfig.userSources[$0] },
                                                           baseDirectory: userFields.baseDirectory)
        }
        try connection.apply(overrides, userName: userName ?? "")
        return connection
    }

    /// kubectl's remaining built-in auth provider is `oidc`; `gcp` and `azure` were removed in
    /// favour of exec plugins, so their users get told which plugin replaces them.
    private static func authProvider(_ provider: Mapping, userName: String, file: String?,
                                     baseDirectory: String) throws(KubeError) -> Credentials {
        let name = provider["name"]?.scalar?.text ?? ""
        switch name {
        case "oidc":
            return .oidc(try OIDCAuthProvider.make(config: provider["config"]?.mapping ?? Mapping(), userName: userName,
                                                   kubeconfigPath: file, baseDirectory: baseDirectory))
        case "gcp":
            throw KubeError(.configuration, "user \"\(userName)\": auth-provider gcp is no longer supported (as in kubectl); use the exec plugin gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin)")
        case "azure":
            throw KubeError(.configuration, "user \"\(userName)\": auth-provider azure is no longer supported (as in kubectl); use the exec plugin kubelogin (kubelogin convert-kubeconfig)")
        default:
            throw KubeError(.configuration, "user \"\(userName)\": auth-provider \"\(name)\" is not supported; use an exec credential plugin")
        }
    }

    /// The kubeconfig user's own impersonation settings (`as`, `as-groups`, `as-uid`, `as-user-extra`).
    private static func impersonation(of user: Mapping, name: String) throws(KubeError) -> Impersonation? {
        let asUser = user["as"]?.scalar?.text ?? ""
        let groups = (user["as-groups"]?.sequence ?? []).compactMap { $0.scalar?.text }
        let uid = user["as-uid"]?.scalar?.text ?? ""
        var extra: [String: [String]] = [:]
        for entry in user["as-user-extra"]?.mapping ?? Mapping() {
            extra[entry.key] = (entry.value.sequence ?? []).compactMap { $0.scalar?.text }
        }
        if asUser.isEmpty {
            guard groups.isEmpty, uid.isEmpty, extra.isEmpty else {
                throw KubeError(.configuration, "user \"\(name)\": as-groups, as-uid and as-user-extra need as (the user to impersonate)")
            }
            return nil
        }
        return Impersonation(user: asUser, groups: groups, uid: uid.isEmpty ? nil : uid, extra: extra)
    }

    /// The cluster's `extensions` entry named `client.authentication.k8s.io/exec`: per-cluster
    /// settings for an exec plugin (`spec.cluster.config`).
    private static func execExtension(of cluster: Mapping) -> Node? {
        for item in cluster["extensions"]?.sequence ?? [] {
            if let entry = item.mapping, entry["name"]?.scalar?.text == "client.authentication.k8s.io/exec" {
                return entry["extension"]
            }
        }
        return nil
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

extension ClusterConnection {
    /// The exec plugin's command, for error messages.
    var execPluginName: String? {
        if case .exec(let provider) = credentials { return provider.configuration.command }
        return nil
    }
}
