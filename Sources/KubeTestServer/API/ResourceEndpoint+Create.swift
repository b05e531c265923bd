import Hummingbird

/// POST to a collection: create an object (201).
extension ResourceEndpoint {
    func create() async throws(KubeAPIError) -> Response {
        guard target.name == nil, definition.namespaced == (target.namespace != nil) else {
            throw .methodNotAllowed
        }
        let body = try objectBody()
        let result = try await store.create(body, definition: definition, namespace: target.namespace,
                                            options: try writeOptions())
        return try render(result.object, status: 201, warnings: result.warnings)
    }
}
