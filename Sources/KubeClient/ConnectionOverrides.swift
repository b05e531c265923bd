/// What the command line adds to or changes in the kubeconfig's connection: kubectl's global
/// connection flags (`--server`, `--token`, `--as`, …), which kubeseal takes as well.
///
/// As in kubectl, `--cluster` and `--user` pick other kubeconfig entries than the context's;
/// the remaining fields override single settings of those entries. A credential given here
/// (`token`, `username`/`password`, `clientCertificate`/`clientKey`) replaces the kubeconfig
/// user's credentials rather than being sent beside them.
public struct ConnectionOverrides: Sendable {
    /// Stdin carries the command's input (a Secret to seal), so credential plugins must not
    /// read from it.
    public var standardInputInUse = false

    public var server: String?
    public var cluster: String?
    public var user: String?
    public var token: String?
    public var username: String?
    public var password: String?
    /// Paths, relative to the working directory.
    public var clientCertificate: String?
    public var clientKey: String?
    public var certificateAuthority: String?
    public var insecureSkipTLSVerify: Bool?
    public var tlsServerName: String?
    public var disableCompression: Bool?
    public var impersonateUser: String?
    public var impersonateGroups: [String] = []
    public var impersonateUID: String?
    /// kubectl's `--request-timeout`: `0` (no timeout), a number of seconds, or a Go duration.
    public var requestTimeout: String?

    public init() {}

    /// Whether any setting that kubectl would use without a kubeconfig is given.
    var definesServer: Bool { server?.isEmpty == false }
}
