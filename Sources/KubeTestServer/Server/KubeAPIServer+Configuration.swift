public import Logging

extension KubeAPIServer {
    /// TLS material for serving HTTPS, in PEM.
    public struct TLS: Sendable {
        /// The server certificate, followed by any intermediates.
        public var certificateChainPEM: String
        /// The server certificate's private key.
        public var privateKeyPEM: String
        /// A CA whose client certificates authenticate requests. Without bearer tokens the
        /// handshake requires such a certificate; with tokens, either credential is accepted
        /// (the API server's authenticator chain).
        public var clientCAPEM: String?

        public init(certificateChainPEM: String, privateKeyPEM: String, clientCAPEM: String? = nil) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
            self.clientCAPEM = clientCAPEM
        }
    }

    /// How to run the server.
    public struct Configuration: Sendable {
        /// The address to bind; the test cluster lives on loopback.
        public var host = "127.0.0.1"
        /// The port to bind; 0 picks a free one, reported by ``KubeAPIServer/start()``.
        public var port = 0
        /// HTTPS settings; `nil` serves plain HTTP.
        public var tls: TLS?
        /// Accepted `Authorization: Bearer` tokens. Empty (and no client CA) means no
        /// authentication.
        public var bearerTokens: Set<String> = []
        /// Bearer tokens of service accounts (token → `namespace/name`): their requests are
        /// authorized by the RBAC objects in the store, as the API server's RBAC authorizer
        /// does, so a controller can be run with exactly the permissions a chart grants.
        public var serviceAccountTokens: [String: String] = [:]
        /// Accepted basic-auth users and their passwords (the API server's old static password
        /// file), for clients' `--username`/`--password`.
        public var basicCredentials: [String: String] = [:]
        /// The user that requests act as, named in 403 messages.
        public var userName = "test"
        /// How many past events (writes) a watch or paginated list can resume from; older
        /// resource versions get `410 Expired`. This stands in for etcd compaction.
        public var compactionWindow = 1000
        /// How often watches with `allowWatchBookmarks=true` receive a `BOOKMARK`.
        public var bookmarkInterval: Duration = .seconds(60)
        /// Requests denied with 403 from the start; more can be added at run time with
        /// ``FaultInjection/forbid(_:)``.
        public var forbidden: [AccessRule] = []
        /// Where request and store activity is logged, at debug level. Secret data never is.
        public var logger = Logger(label: "sealkit.kube-test-server")

        public init() {}
    }
}
