import Hummingbird

/// GET of one object and LIST of a collection.
extension ResourceEndpoint {
    func get() async throws(KubeAPIError) -> Response {
        let key = try requireKey()
        guard let object = await store.get(definition, key: key) else {
            throw .notFound(definition.resource, name: key.name)
        }
        return try render(object)
    }

    func list() async throws(KubeAPIError) -> Response {
        if case .partialObjectMetadata(_, let askedList) = format {
            try requirePartialObjectMetadataKind(list: true, asked: askedList)
        }
        var listQuery = ListQuery(filter: try filter(), limit: try query.integer("limit"), continueToken: nil)
        if let token = query["continue"], !token.isEmpty {
            listQuery.continueToken = try ContinueToken.decode(token)
        }
        let version = query["resourceVersion"] ?? ""
        let number = version.isEmpty ? nil : Int(version)
        if !version.isEmpty && (number == nil || number! < 0) {
            throw .badRequest("invalid resource version: \"\(version)\"")
        }
        switch query["resourceVersionMatch"] ?? "" {
        case "":
            listQuery.minimumVersion = number
        case "NotOlderThan":
            guard number != nil else {
                throw .badRequest("resourceVersionMatch is forbidden unless resourceVersion is provided")
            }
            listQuery.minimumVersion = number
        case "Exact":
            guard let number, number > 0 else {
                throw .badRequest("resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"\(version)\"")
            }
            listQuery.exactVersion = number
        case let other:
            throw .badRequest("resourceVersionMatch must be one of Exact or NotOlderThan: invalid value \"\(other)\"")
        }
        let page = try await store.list(listQuery)

        var metadata: JSONValue = ["resourceVersion": .string(String(page.resourceVersion))]
        if let next = page.continueToken { metadata["continue"] = .string(next.encoded) }
        if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(Int64(remaining)) }

        switch format {
        case .object:
            // Typed lists of built-in kinds carry no kind/apiVersion on their items; custom
            // resource lists do. Clients must cope with both, as with a real server.
            let items = definition.isCustomResource ? page.items : page.items.map { item in
                var item = item
                item["kind"] = nil
                item["apiVersion"] = nil
                return item
            }
            return APIResponse.json([
                "kind": .string(definition.listKind),
                "apiVersion": .string(definition.apiVersion),
                "metadata": metadata,
                "items": .array(items),
            ])
        case .table(let version):
            let renderer = try TableRenderer(definition: definition, version: version, query: query)
            return APIResponse.json(renderer.table(page.items, metadata: metadata))
        case .partialObjectMetadata(let version, _):
            return APIResponse.json(PartialObjectMetadata.list(page.items, metadata: metadata, version: version))
        }
    }
}
