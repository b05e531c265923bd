import TestSupport
import Foundation
import Hummingbird
import Logging

/// A tiny HTTP server on loopback standing in for a pod behind a Service, for the service
/// proxy tests. It answers `GET /v1/cert.pem`, echoes requests at `/echo/...`, and redirects
/// at `/redirect`.
struct UpstreamServer: Sendable {
    let port: Int
    private let task: Task<Void, Never>

    static func start() async throws -> UpstreamServer {
        let router = Router()
        router.get("v1/cert.pem") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/x-pem-file"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")))
        }
        router.on("echo/**", method: .post) { request, context -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let authorization = request.headers[.authorization] ?? "<none>"
            let text = "\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "") auth=\(authorization) body=\(String(buffer: body))"
            return Response(status: .created, headers: [.contentType: "text/plain", .init("X-Upstream")!: "yes"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("redirect") { _, _ in
            Response(status: .found, headers: [.location: "/elsewhere"])
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "upstream")
        logger.logLevel = .critical
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            try? await application.run()
            continuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw UpstreamError.didNotStart }
        return UpstreamServer(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        await task.value
    }

    enum UpstreamError: Error { case didNotStart }
}
