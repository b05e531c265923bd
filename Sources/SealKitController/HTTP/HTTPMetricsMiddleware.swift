public import Hummingbird

/// Counts and times every API request under Bitnami's metric names
/// (`http_requests_total{path,code,method}`, `http_request_duration_seconds{path,method}`).
/// The path label is the route pattern, never the raw URL, so label cardinality stays fixed.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ControllerMetrics
    static var knownPaths: Set<String> { ["/v1/cert.pem", "/v1/verify", "/v1/rotate", "/healthz", "/readyz", "/metrics"] }

    public init(metrics: ControllerMetrics) {
        self.metrics = metrics
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = Self.knownPaths.contains(request.uri.path) ? request.uri.path : "other"
        do {
            let response = try await next(request, context)
            metrics.recordHTTPRequest(path: path, method: request.method.rawValue, code: Int(response.status.code),
                                      duration: start.duration(to: .now))
            return response
        } catch {
            let code = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordHTTPRequest(path: path, method: request.method.rawValue, code: Int(code), duration: start.duration(to: .now))
            throw error
        }
    }
}
