import Foundation
import Hummingbird
import Logging

/// The HTTP entry point: fault injection, authentication, routing, authorization, then the
/// discovery document or resource verb the request addresses. Every failure becomes a
/// `Status` response.
struct KubeAPIResponder: HTTPResponder {
    typealias Context = KubeRequestContext

    let store: ObjectStore
    let catalog: ResourceCatalog
    let faults: FaultInjection
    let authenticator: Authenticator
    let requestLog: RequestLog
    let proxy: ServiceProxy
    /// The identity named in 403 messages.
    let userName: String
    let bookmarkInterval: Duration
    let logger: Logger

    private var discovery: DiscoveryDocuments { DiscoveryDocuments(catalog: catalog) }

    /// The 403 the API server gives, naming the user the request acted as.
    private func forbidden(_ target: ResourceTarget, _ attributes: RequestAttributes, _ identity: RequestIdentity) -> KubeAPIError {
        let scoped = target.definition.namespaced ? target.namespace : nil
        return KubeAPIError.forbidden(
            target.definition.resource, subresource: target.subresource,
            name: target.subresource == "proxy" ? target.name : (attributes.verb == "create" ? nil : target.name),
            verb: attributes.verb, namespace: scoped, user: identity.userName(administrator: userName))
    }

    func respond(to request: Request, context: KubeRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        requestLog.append(RecordedRequest(method: request.method.rawValue, uri: request.uri.description,
                                          headers: request.headers.map { ($0.name.canonicalName, $0.value) }))
        let path = request.uri.path
        let query = QueryParameters(request.uri.query)
        let route = try? APIRoute.parse(path, catalog: catalog)
        let attributes = RequestAttributes(method: request.method.rawValue, path: path, route: route, query: query)
        var response: Response
        do {
            response = try await serve(request, context: context, route: route, attributes: attributes, query: query)
        } catch let error as KubeAPIError {
            response = APIResponse.error(error)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            response = APIResponse.error(.requestEntityTooLarge(limit: context.maxUploadSize))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            response = APIResponse.error(.internalError(String(describing: error)))
        }
        response.headers[.auditID] = UUID().uuidString.lowercased()
        // Paths and verbs only: bodies (Secret data) are never logged.
        logger.debug("request", metadata: [
            "method": "\(attributes.method)", "path": "\(path)", "verb": "\(attributes.verb)",
            "status": "\(response.status.code)", "duration": "\(ContinuousClock.now - started)",
        ])
        return response
    }

    private func serve(
        _ request: Request, context: KubeRequestContext, route: APIRoute?, attributes: RequestAttributes,
        query: QueryParameters
    ) async throws -> Response {
        let delay = faults.delay(for: attributes)
        if delay > .zero {
            try await Task.sleep(for: delay)
        }
        if let failure = faults.takeFailure(for: attributes) {
            throw failure.error
        }
        let identity = try await authenticator.authenticate(request, context: context)
        guard let route else {
            // Parse again for the precise error.
            _ = try APIRoute.parse(attributes.path, catalog: catalog)
            throw KubeAPIError.pathNotFound
        }

        guard case .resource(let target) = route else {
            guard request.method == .get || request.method == .head else { throw KubeAPIError.methodNotAllowed }
            return try serveDiscovery(route, request: request)
        }
        if faults.isForbidden(attributes) {
            throw forbidden(target, attributes, identity)
        }
        guard await RBACAuthorizer(store: store).allows(identity, attributes) else {
            throw forbidden(target, attributes, identity)
        }

        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let body = Array(buffer.readableBytesView)
        if target.subresource == "proxy" {
            return try await proxy.forward(request, body: body, target: target, store: store)
        }

        let endpoint = ResourceEndpoint(
            store: store, target: target, query: query,
            format: try ResponseFormat.negotiate(request.headers[.accept]),
            body: body,
            contentType: request.headers[.contentType].map {
                $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            },
            bookmarkInterval: bookmarkInterval)
        if target.subresource == "status" {
            switch attributes.verb {
            case "get": return try await endpoint.get()
            case "update": return try await endpoint.update()
            case "patch": return try await endpoint.patch()
            default: throw KubeAPIError.methodNotAllowed
            }
        }
        switch attributes.verb {
        case "get": return try await endpoint.get()
        case "list": return try await endpoint.list()
        case "watch": return try await endpoint.watch()
        case "create": return try await endpoint.create()
        case "update": return try await endpoint.update()
        case "patch": return try await endpoint.patch()
        case "delete": return try await endpoint.delete()
        case "deletecollection": return try await endpoint.deleteCollection()
        default: throw KubeAPIError.methodNotAllowed
        }
    }

    private func serveDiscovery(_ route: APIRoute, request: Request) throws(KubeAPIError) -> Response {
        switch route {
        case .version:
            return APIResponse.json(discovery.version)
        case .health:
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
        case .coreVersions:
            return APIResponse.json(discovery.coreVersions(serverAddress: request.head.authority ?? "127.0.0.1"))
        case .groupList:
            return APIResponse.json(discovery.groupList)
        case .group(let name):
            return APIResponse.json(discovery.group(name))
        case .resourceList(let group, let version):
            return APIResponse.json(discovery.resourceList(group: group, version: version))
        case .openAPIRoot:
            return APIResponse.json(OpenAPIDocuments(catalog: catalog).root)
        case .openAPIGroupVersion(let group, let version):
            return APIResponse.json(OpenAPIDocuments(catalog: catalog).document(group: group, version: version))
        case .resource:
            throw .pathNotFound
        }
    }
}
