public import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// `sealkit ui`: the sealing page and one certificate, served on a local port, for sealing
/// in a browser without a cluster (or with the cluster's certificate fetched once).
public enum UIServer {
    /// The router: the page (``UIRoutes``) plus `GET /v1/cert.pem` answering `certificatePEM`.
    public static func router(certificatePEM: String) -> Router<BasicRequestContext> {
        let router = Router()
        UIRoutes.add(to: router)
        router.get("/v1/cert.pem") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-pem-file"
            headers[.cacheControl] = "no-store"
            headers[.xContentTypeOptions] = "nosniff"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: certificatePEM)))
        }
        return router
    }

    /// Serves until SIGINT or SIGTERM.
    /// - Parameter onListening: called with the bound port once the server listens (the port
    ///   may have been 0: any free one).
    /// - Throws: when the address cannot be bound.
    public static func run(certificatePEM: String, host: String, port: Int,
                           onListening: @escaping @Sendable (Int) async -> Void) async throws {
        var logger = Logger(label: "sealkit-ui")
        logger.logLevel = .error
        let app = Application(
            router: router(certificatePEM: certificatePEM),
            server: .http1(configuration: .init(idleTimeout: .seconds(120))),
            configuration: .init(address: .hostname(host, port: port), serverName: "sealkit-ui"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
        try await app.runService()
    }

    /// Whether `host` names this machine's loopback interface only.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in
            guard let value = Int(part), (0 ... 255).contains(value) else { return false }
            return true
        }
    }
}
