public import Hummingbird
import NIOCore
public import SealKit

/// The controller's HTTP API, wire-compatible with Bitnami's (DESIGN 1.6):
/// `GET /v1/cert.pem`, `POST /v1/verify`, `POST /v1/rotate`, `GET /healthz`.
/// Answers never contain plaintext: verify says only yes (200) or no (409).
public enum ControllerAPI {
    /// Largest SealedSecret accepted in a request body.
    static let maximumBodySize = 2 << 20

    public struct Dependencies: Sendable {
        public var keys: KeyStore
        public var templates: (any TemplateDataRendering)?
        public var limiter: RateLimiter
        /// Ready once keys are loaded; `/healthz` reports it.
        public var isReady: @Sendable () -> Bool

        public init(keys: KeyStore, templates: (any TemplateDataRendering)?, limiter: RateLimiter = RateLimiter(perSecond: 2, burst: 10),
                    isReady: @escaping @Sendable () -> Bool = { true }) {
            self.keys = keys
            self.templates = templates
            self.limiter = limiter
            self.isReady = isReady
        }
    }

    public static func router(_ dependencies: Dependencies) -> Router<ControllerRequestContext> {
        let router = Router(context: ControllerRequestContext.self)
        router.get("/healthz") { _, _ -> Response in
            dependencies.isReady() ? text(.ok, "ok\n") : text(.serviceUnavailable, "keys not loaded\n")
        }
        router.get("/v1/cert.pem") { _, _ -> Response in
            guard let newest = dependencies.keys.current.newest else {
                return text(.serviceUnavailable, "no sealing key yet\n")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/x-pem-file"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: newest.certificate.pem())))
        }
        router.post("/v1/verify") { request, context -> Response in
            guard dependencies.limiter.allow(path: "/v1/verify", client: context.rateLimitClient(request)) else { return text(.tooManyRequests, "rate limit exceeded\n") }
            let sealed: SealedSecret
            switch await decode(request) {
            case .sealedSecret(let value): sealed = value
            case .rejected(let response): return response
            }
            let unsealer = dependencies.keys.current.unsealer(templates: dependencies.templates)
            do {
                _ = try unsealer.unseal(sealed)
                return text(.ok, "")
            } catch {
                return text(.conflict, "\(error)\n")
            }
        }
        router.post("/v1/rotate") { request, context -> Response in
            guard dependencies.limiter.allow(path: "/v1/rotate", client: context.rateLimitClient(request)) else { return text(.tooManyRequests, "rate limit exceeded\n") }
            let sealed: SealedSecret
            switch await decode(request) {
            case .sealedSecret(let value): sealed = value
            case .rejected(let response): return response
            }
            let ring = dependencies.keys.current
            guard let newest = ring.newest else { return text(.serviceUnavailable, "no sealing key yet\n") }
            do {
                let resealed = try Sealer(publicKey: newest.certificate.publicKey).reseal(sealed, with: ring.unsealer(templates: nil))
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.write(resealed.node()))))
            } catch {
                return text(.conflict, "\(error)\n")
            }
        }
        return router
    }

    private enum Decoded {
        case sealedSecret(SealedSecret)
        case rejected(Response)
    }

    /// The request body as a SealedSecret (JSON or YAML), or the 4xx answer explaining why not.
    private static func decode(_ request: Request) async -> Decoded {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: maximumBodySize) } catch {
            return .rejected(text(.contentTooLarge, "request body larger than \(maximumBodySize >> 20) MiB\n"))
        }
        do {
            guard let document = try YAMLReader.manifests(Array(buffer: body)).first else {
                return .rejected(text(.badRequest, "empty request body\n"))
            }
            return .sealedSecret(try SealedSecret(node: document.root))
        } catch {
            return .rejected(text(.badRequest, "not a SealedSecret: \(error)\n"))
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message)))
    }
}
