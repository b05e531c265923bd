public import Hummingbird
import NIOCore
public import SealKit
import SealKitUI

/// The controller's HTTP API, wire-compatible with Bitnami's (DESIGN 1.6):
/// `GET /v1/cert.pem`, `POST /v1/verify`, `POST /v1/rotate`, `GET /healthz`, `GET /readyz`.
/// Answers never contain plaintext: verify says only yes (200) or no (409). The same port
/// serves the sealing page at `/ui/` (``UIRoutes``; `/` redirects there), which seals in the
/// browser with the certificate of `/v1/cert.pem` and sends nothing back.
public enum ControllerAPI {
    /// Largest SealedSecret accepted in a request body.
    static let maximumBodySize = 2 << 20

    public struct Dependencies: Sendable {
        public var keys: KeyStore
        public var limiter: RateLimiter
        /// Where requests decode and decrypt: never on the cooperative pool, and with a short
        /// queue, so a flood is refused (503) instead of queued without bound.
        public var pool: WorkerPool
        /// Ready once keys are loaded; `/healthz` reports it.
        public var isReady: @Sendable () -> Bool

        public init(keys: KeyStore, limiter: RateLimiter = RateLimiter(perSecond: 2, burst: 10),
                    pool: WorkerPool = WorkerPool(name: "api", threads: 1, maximumQueued: 16),
                    isReady: @escaping @Sendable () -> Bool = { true }) {
            self.keys = keys
            self.limiter = limiter
            self.pool = pool
            self.isReady = isReady
        }
    }

    /// - Parameter metrics: when given, every request is counted and timed (Bitnami's
    ///   `http_requests_total`); middleware must precede the routes it wraps.
    public static func router(_ dependencies: Dependencies, metrics: ControllerMetrics? = nil) -> Router<ControllerRequestContext> {
        let router = Router(context: ControllerRequestContext.self)
        if let metrics { router.middlewares.add(HTTPMetricsMiddleware(metrics: metrics)) }
        // As Bitnami: /healthz is liveness (the process serves HTTP), /readyz readiness (keys
        // are loaded, so /v1/cert.pem and unsealing work).
        router.get("/healthz") { _, _ -> Response in
            text(.ok, "ok\n")
        }
        router.get("/readyz") { _, _ -> Response in
            dependencies.isReady() ? text(.ok, "ok\n") : text(.serviceUnavailable, "not ready\n")
        }
        UIRoutes.add(to: router)
        router.get("/v1/cert.pem") { _, _ -> Response in
            guard let newest = dependencies.keys.current.newest else {
                return text(.serviceUnavailable, "no sealing key yet\n")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/x-pem-file"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: newest.certificate.pem())))
        }
        // Yes or no, nothing else: no template is rendered, no decrypted byte is looked at,
        // and both answers have empty bodies, so posting someone else's SealedSecret tells
        // only whether this controller holds its key for the object's own scope.
        router.post("/v1/verify") { request, context -> Response in
            guard dependencies.limiter.allow(path: "/v1/verify", client: context.rateLimitClient(request)) else { return text(.tooManyRequests, "rate limit exceeded\n") }
            let body: [UInt8]
            switch await collect(request) {
            case .body(let bytes): body = bytes
            case .rejected(let response): return response
            }
            let keys = dependencies.keys.current.privateKeys
            return await answer(on: dependencies.pool) { verify(body: body, keys: keys) }
        }
        // The object re-sealed to the newest key. Only the values are decrypted (no template),
        // and an error names the item and why its ciphertext did not open, never content.
        router.post("/v1/rotate") { request, context -> Response in
            guard dependencies.limiter.allow(path: "/v1/rotate", client: context.rateLimitClient(request)) else { return text(.tooManyRequests, "rate limit exceeded\n") }
            let body: [UInt8]
            switch await collect(request) {
            case .body(let bytes): body = bytes
            case .rejected(let response): return response
            }
            let ring = dependencies.keys.current
            guard let newest = ring.newest else { return text(.serviceUnavailable, "no sealing key yet\n") }
            return await answer(on: dependencies.pool) { rotate(body: body, ring: ring, to: newest) }
        }
        return router
    }

    /// `/v1/verify`'s answer to a request body, apart from the server so that it can be tested
    /// and fuzzed on its own: 200 when `keys` open every value under the object's own scope,
    /// 409 when not, 500 when the body is not one SealedSecret. CPU-bound: run it on the pool.
    static func verify(body: [UInt8], keys: [PrivateKey]) -> Answer {
        let sealed: SealedSecret
        switch decode(body) {
        case .sealedSecret(let value): sealed = value
        case .rejected(let answer): return answer
        }
        return Unsealer(keys: keys).canDecrypt(sealed) ? .text(.ok, "") : .text(.conflict, "")
    }

    /// `/v1/rotate`'s answer to a request body: the SealedSecret re-sealed to `newest` as JSON
    /// (200), or 500 naming what failed. Apart from the server for the same reasons as
    /// ``verify(body:keys:)``; CPU-bound.
    static func rotate(body: [UInt8], ring: KeyRing, to newest: SealingKey) -> Answer {
        let sealed: SealedSecret
        switch decode(body) {
        case .sealedSecret(let value): sealed = value
        case .rejected(let answer): return answer
        }
        do {
            let resealed = try Sealer(publicKey: newest.certificate.publicKey).reseal(sealed, with: ring.unsealer(templates: nil))
            return Answer(status: .ok, contentType: "application/json", body: JSONWriter.write(resealed.node()))
        } catch {
            // 500, as Bitnami answers; the message names the item, never content.
            return .text(.internalServerError, "cannot re-seal: \(error)\n")
        }
    }

    /// A handler's answer as plain values. The pool's thread makes it; the handler's task turns
    /// it into a `Response`, so no NIO buffer is created on one thread and used on another
    /// (ThreadSanitizer cannot see that hand-off through a continuation resumed from a thread
    /// outside Swift's pool, and reported the buffer).
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var contentType: String
        var body: [UInt8]

        static func text(_ status: HTTPResponse.Status, _ message: String) -> Answer {
            Answer(status: status, contentType: "text/plain; charset=utf-8", body: Array(message.utf8))
        }

        var response: Response {
            var headers = HTTPFields()
            headers[.contentType] = contentType
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// Runs a handler's CPU-bound part on the pool; a full queue is a 503 with Retry-After.
    private static func answer(on pool: WorkerPool, _ work: @escaping @Sendable () -> Answer) async -> Response {
        do {
            return try await pool.run(work).response
        } catch {
            var response = text(.serviceUnavailable, "busy; try again shortly\n")
            response.headers[.retryAfter] = "1"
            return response
        }
    }

    private enum Collected {
        case body([UInt8])
        case rejected(Response)
    }

    private static func collect(_ request: Request) async -> Collected {
        do {
            return .body(Array(buffer: try await request.body.collect(upTo: maximumBodySize)))
        } catch {
            return .rejected(text(.contentTooLarge, "request body larger than \(maximumBodySize >> 20) MiB\n"))
        }
    }

    private enum Decoded {
        case sealedSecret(SealedSecret)
        case rejected(Answer)
    }

    /// The request body as a SealedSecret (JSON or YAML), or the answer explaining why not.
    /// Bitnami's handlers answer 500 to a body that is malformed, holds several documents or
    /// is not a SealedSecret, and clients (kubeseal) expect exactly that.
    private static func decode(_ body: [UInt8]) -> Decoded {
        do {
            let documents = try YAMLReader.manifests(body)
            guard let document = documents.first else {
                return .rejected(.text(.internalServerError, "empty request body\n"))
            }
            guard documents.count == 1 else {
                return .rejected(.text(.internalServerError, "expected one SealedSecret, found \(documents.count) documents\n"))
            }
            return .sealedSecret(try SealedSecret(node: document.root))
        } catch {
            return .rejected(.text(.internalServerError, "not a SealedSecret: \(error)\n"))
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Answer.text(status, message).response
    }
}
