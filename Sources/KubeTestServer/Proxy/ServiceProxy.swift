import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging

/// The service proxy subresource, `/api/v1/namespaces/NS/services/[scheme:]NAME[:PORT]/proxy/PATH`:
/// resolves the Service from the store and relays the request to its endpoint,
/// `http://127.0.0.1:<targetPort>/PATH`, then relays the answer.
///
/// This is how SealKit's CLI reaches the controller (`/v1/cert.pem`), so requests are relayed
/// faithfully: method, query, body and end-to-end headers, minus the caller's credentials and
/// hop-by-hop headers; the upstream status, headers and body come back unchanged, redirects
/// included (they are not followed). Only `http` endpoints are supported.
final class ServiceProxy: Sendable {
    private let session: URLSession
    private let transfers: ProxyTransfers
    private let logger: Logger

    /// Headers that describe one connection or carry the API server's credentials; they are
    /// not forwarded in either direction.
    private static let unforwardedHeaders: Set<String> = [
        "authorization", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "accept-encoding",
        "content-encoding",
    ]

    init(logger: Logger) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let transfers = ProxyTransfers()
        self.transfers = transfers
        self.session = URLSession(configuration: configuration, delegate: transfers, delegateQueue: nil)
        self.logger = logger
    }

    /// Releases the session's connections.
    func shutdown() {
        session.invalidateAndCancel()
    }

    func forward(
        _ request: Request, body: [UInt8], target: ResourceTarget, store: ObjectStore
    ) async throws(KubeAPIError) -> Response {
        let id = target.name ?? ""
        let proxyTarget = try ServiceProxyTarget(id)
        let key = ObjectKey(namespace: target.namespace ?? "", name: proxyTarget.serviceName)
        guard let service = await store.get(target.definition, key: key) else {
            throw .notFound(.services, name: proxyTarget.serviceName)
        }
        let port = try proxyTarget.endpointPort(on: service, id: id)
        if proxyTarget.scheme == "https" {
            throw .serviceUnavailable("error trying to reach service: the test cluster proxies only http endpoints")
        }

        var components = URLComponents()
        components.scheme = "http"
        components.host = "127.0.0.1"
        components.port = port
        components.percentEncodedPath = target.proxyPath.isEmpty ? "/" : target.proxyPath
        components.percentEncodedQuery = request.uri.query
        guard let url = components.url else {
            throw .badRequest("invalid proxy path \"\(target.proxyPath)\"")
        }
        var upstream = URLRequest(url: url)
        upstream.httpMethod = request.method.rawValue
        for field in request.headers where !Self.unforwardedHeaders.contains(field.name.canonicalName) {
            upstream.addValue(field.value, forHTTPHeaderField: field.name.rawName)
        }
        if !body.isEmpty {
            upstream.httpBody = Data(body)
        }

        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await transfers.perform(upstream, on: session)
        } catch {
            logger.debug("service proxy upstream failed", metadata: ["url": "\(url)", "error": "\(error)"])
            throw .serviceUnavailable("error trying to reach service: \(Self.describe(error, port: port))")
        }
        guard let http = response as? HTTPURLResponse else {
            throw .serviceUnavailable("error trying to reach service: not an HTTP response")
        }
        var headers = HTTPFields()
        for (name, value) in http.allHeaderFields {
            guard let name = name as? String, let value = value as? String,
                  !Self.unforwardedHeaders.contains(name.lowercased()),
                  let fieldName = HTTPFields.Element.Name(name)
            else { continue }
            headers.append(HTTPFields.Element(name: fieldName, value: value))
        }
        return Response(status: HTTPResponse.Status(code: http.statusCode), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    /// Go's wording for the common failure, so messages read like a real cluster's.
    private static func describe(_ error: any Error, port: Int) -> String {
        if let urlError = error as? URLError, urlError.code == .cannotConnectToHost {
            return "dial tcp 127.0.0.1:\(port): connect: connection refused"
        }
        return "\(error.localizedDescription) (127.0.0.1:\(port))"
    }
}
