import Hummingbird

/// PATCH of an object or of its `status` subresource.
///
/// The patch is applied to the latest stored object inside the store, then the result goes
/// through the same rules as an update. A patch that sets `metadata.resourceVersion` is
/// conditional on it, as in Kubernetes.
extension ResourceEndpoint {
    /// The patch media types; server-side apply (`application/apply-patch+yaml`) is not served.
    private static let mergePatch = "application/merge-patch+json"
    private static let strategicMergePatch = "application/strategic-merge-patch+json"
    private static let jsonPatch = "application/json-patch+json"

    func patch() async throws(KubeAPIError) -> Response {
        let key = try requireKey()
        let accepted = definition.isCustomResource
            ? [Self.jsonPatch, Self.mergePatch]
            : [Self.jsonPatch, Self.mergePatch, Self.strategicMergePatch]
        guard let contentType, accepted.contains(contentType) else {
            // Custom resources refuse strategic merge patch, as in a real cluster.
            throw .unsupportedMediaType(contentType ?? "", accepted: accepted)
        }
        let patch = try parsedBody()
        let transform = try Self.transform(for: contentType, patch: patch, definition: definition)
        let result = try await store.update(
            definition: definition, key: key, target: writeTarget, options: try writeOptions(), transform: transform)
        return try render(result.object, warnings: result.warnings)
    }

    private static func transform(
        for contentType: String, patch: JSONValue, definition: ResourceDefinition
    ) throws(KubeAPIError) -> @Sendable (JSONValue) throws(KubeAPIError) -> JSONValue {
        switch contentType {
        case jsonPatch:
            guard case .array = patch else {
                throw .badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
            }
            return { current throws(KubeAPIError) in
                do throws(JSONPatchError) {
                    return try JSONPatch.apply(patch, to: current)
                } catch {
                    if error.isMalformed { throw .badRequest(error.description) }
                    throw KubeAPIError(code: 422, reason: "Invalid", message: error.description)
                }
            }
        case strategicMergePatch:
            let engine = StrategicMergePatch(listStrategies: definition.listStrategies)
            return { current throws(KubeAPIError) in
                do throws(StrategicMergePatchError) {
                    return try engine.apply(patch, to: current)
                } catch {
                    throw .badRequest(error.description)
                }
            }
        default:
            guard case .object = patch else {
                throw .badRequest("json: cannot unmarshal \(patch) into Go value of type map[string]interface {}")
            }
            return { current throws(KubeAPIError) in JSONMergePatch.apply(patch, to: current) }
        }
    }
}
