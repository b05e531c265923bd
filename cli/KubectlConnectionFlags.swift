import ArgumentParser
import KubeClient

/// kubectl's global connection flags, which kubeseal inherits from client-go: they change or
/// replace what the kubeconfig says, so scripts written for kubeseal keep working.
struct KubectlConnectionFlags: ParsableArguments {
    @Option(name: [.customShort("s"), .long], help: ArgumentHelp("The address and port of the Kubernetes API server.", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("Bearer token for authentication to the API server.", valueName: "token"))
    var token: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Username to impersonate for the operation.", valueName: "user"))
    var impersonateUser: String?

    @Option(name: .customLong("as-group"),
            help: ArgumentHelp("Group to impersonate for the operation; repeat for several groups.", valueName: "group"))
    var impersonateGroups: [String] = []

    @Option(name: .customLong("as-uid"), help: ArgumentHelp("UID to impersonate for the operation.", valueName: "uid"))
    var impersonateUID: String?

    @Option(help: ArgumentHelp("Username for basic authentication to the API server.", valueName: "name"))
    var username: String?

    @Option(help: ArgumentHelp("Password for basic authentication to the API server.", valueName: "password"))
    var password: String?

    @Option(help: ArgumentHelp("Path to a client certificate file for TLS.", valueName: "file"))
    var clientCertificate: String?

    @Option(help: ArgumentHelp("Path to a client key file for TLS.", valueName: "file"))
    var clientKey: String?

    @Option(help: ArgumentHelp("Path to a certificate file for the certificate authority.", valueName: "file"))
    var certificateAuthority: String?

    @Flag(name: .customLong("insecure-skip-tls-verify"),
          help: "Do not check the server's certificate (insecure: anyone on the path can read the traffic).")
    var insecureSkipTLSVerify = false

    @Option(name: .customLong("tls-server-name"),
            help: ArgumentHelp("Server name to use for certificate validation (and SNI) instead of the server's host.", valueName: "name"))
    var tlsServerName: String?

    @Flag(name: .customLong("disable-compression"), help: "Do not ask the API server for compressed responses.")
    var disableCompression = false

    @Option(help: ArgumentHelp("The name of the kubeconfig cluster to use.", valueName: "name"))
    var cluster: String?

    @Option(help: ArgumentHelp("The name of the kubeconfig user to use.", valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp("Time limit of one request to the API server: seconds, or 1s, 2m, 3h; 0 for none.",
                               valueName: "duration"))
    var requestTimeout: String?

    /// The flags as KubeClient's overrides.
    func overrides(standardInputInUse: Bool) -> ConnectionOverrides {
        var overrides = ConnectionOverrides()
        overrides.standardInputInUse = standardInputInUse
        overrides.server = server
        overrides.token = token
        overrides.impersonateUser = impersonateUser
        overrides.impersonateGroups = impersonateGroups
        overrides.impersonateUID = impersonateUID
        overrides.username = username
        overrides.password = password
        overrides.clientCertificate = clientCertificate
        overrides.clientKey = clientKey
        overrides.certificateAuthority = certificateAuthority
        overrides.insecureSkipTLSVerify = insecureSkipTLSVerify ? true : nil
        overrides.tlsServerName = tlsServerName
        overrides.disableCompression = disableCompression ? true : nil
        overrides.cluster = cluster
        overrides.user = user
        overrides.requestTimeout = requestTimeout
        return overrides
    }
}
