public import Hummingbird
import HummingbirdCore
public import Foundation
public import Logging
import NIOCore

/// The two listeners a controller runs: the API (`--listen-addr`) and Prometheus metrics
/// (`--listen-metrics-addr`), kept apart so metrics can be scraped without exposing the API.
public enum ControllerServers {
    public static func api(_ dependencies: ControllerAPI.Dependencies, metrics: ControllerMetrics, host: String, port: Int,
                           idleTimeout: TimeInterval = 120, logger: Logger) -> some ApplicationProtocol {
        let router = ControllerAPI.router(dependencies, metrics: metrics)
        return Application(router: router, server: http1(idleTimeout: idleTimeout),
                           configuration: .init(address: .hostname(host, port: port), serverName: "sealkit-controller"), logger: logger)
    }

    public static func metrics(_ metrics: ControllerMetrics, host: String, port: Int, idleTimeout: TimeInterval = 120,
                               logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        return Application(router: router, server: http1(idleTimeout: idleTimeout),
                           configuration: .init(address: .hostname(host, port: port), serverName: "sealkit-metrics"), logger: logger)
    }

    /// Bitnami's `--read-timeout` / `--write-timeout`: a connection idle this long is closed,
    /// so slow or abandoned clients cannot hold connections open.
    private static func http1(idleTimeout: TimeInterval) -> HTTPServerBuilder {
        let milliseconds = Int64(min(max(idleTimeout, 0.001), 86_400) * 1000)
        return .http1(configuration: .init(idleTimeout: .milliseconds(milliseconds)))
    }
}
