import Hummingbird

/// DELETE of one object, and of every selected object in a collection.
extension ResourceEndpoint {
    func delete() async throws(KubeAPIError) -> Response {
        let key = try requireKey()
        let options = try DeleteOptions.parse(body: try deleteOptionsBody(), query: query)
        switch try await store.delete(definition: definition, key: key, options: options) {
        case .pending(let object):
            return try render(object)
        case .deleted(let object):
            // Custom resources answer with the deleted object, built-in kinds with a Status.
            if definition.isCustomResource {
                return try render(object)
            }
            var details: JSONValue = [
                "name": .string(object.name), "kind": .string(definition.resource.plural), "uid": .string(object.uid),
            ]
            if !definition.resource.group.isEmpty { details["group"] = .string(definition.resource.group) }
            return APIResponse.json([
                "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details,
            ])
        }
    }

    /// `deletecollection`: deletes what the selectors select; answers with the deleted items.
    func deleteCollection() async throws(KubeAPIError) -> Response {
        guard definition.namespaced == (target.namespace != nil) else { throw .methodNotAllowed }
        let options = try DeleteOptions.parse(body: try deleteOptionsBody(), query: query)
        let deleted = try await store.deleteCollection(try filter(), options: options)
        return APIResponse.json([
            "kind": .string(definition.listKind),
            "apiVersion": .string(definition.apiVersion),
            "metadata": ["resourceVersion": .string(String(await store.resourceVersion))],
            "items": .array(deleted),
        ])
    }

    private func deleteOptionsBody() throws(KubeAPIError) -> JSONValue? {
        let isBlank = body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if isBlank { return nil }
        return try objectBody()
    }
}
