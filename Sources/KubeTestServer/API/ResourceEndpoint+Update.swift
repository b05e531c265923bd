import Hummingbird

/// PUT of an object or of its `status` subresource: a full replacement, conditional on
/// `metadata.resourceVersion` when the body sets it.
extension ResourceEndpoint {
    func update() async throws(KubeAPIError) -> Response {
        let key = try requireKey()
        let body = try objectBody()
        guard case .object = body else {
            throw .badRequest("the body of the request must be a JSON object describing a \(definition.kind)")
        }
        let result = try await store.update(
            definition: definition, key: key, target: writeTarget, options: try writeOptions()
        ) { _ throws(KubeAPIError) in body }
        return try render(result.object, warnings: result.warnings)
    }

    /// `.status` for the status subresource, `.main` otherwise.
    var writeTarget: WriteTarget {
        target.subresource == "status" ? .status : .main
    }
}
