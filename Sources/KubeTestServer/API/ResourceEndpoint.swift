import Hummingbird

/// One request to a resource endpoint, with what every verb handler needs. The verbs live in
/// `ResourceEndpoint+<Verb>.swift`.
struct ResourceEndpoint: Sendable {
    let store: ObjectStore
    let target: ResourceTarget
    let query: QueryParameters
    let format: ResponseFormat
    /// The request body, already read; empty when none was sent.
    let body: [UInt8]
    /// The request's `Content-Type`, lower-cased and without parameters.
    let contentType: String?
    let bookmarkInterval: Duration

    var definition: ResourceDefinition { target.definition }

    /// The target's object key; a 405 when the path names a collection.
    func requireKey() throws(KubeAPIError) -> ObjectKey {
        guard let key = target.key else { throw .methodNotAllowed }
        return key
    }

    /// The body parsed as JSON, or a 400 like the real decoder's.
    func parsedBody() throws(KubeAPIError) -> JSONValue {
        do {
            return try JSONParser.parse(body)
        } catch {
            throw .badRequest("couldn't get version/kind; json parse error: \(error)")
        }
    }

    /// The body of a create or update: JSON, or the Kubernetes protobuf encoding that
    /// kubectl's typed commands send.
    func objectBody() throws(KubeAPIError) -> JSONValue {
        switch contentType {
        case nil, "application/json":
            return try parsedBody()
        case KubernetesProtobuf.mediaType:
            return try KubernetesProtobuf.decode(body)
        case let other?:
            throw .unsupportedMediaType(other, accepted: ["application/json", KubernetesProtobuf.mediaType])
        }
    }

    /// `dryRun` and `fieldValidation` from the query.
    func writeOptions() throws(KubeAPIError) -> WriteOptions {
        var options = WriteOptions()
        if let dryRun = query["dryRun"] {
            guard dryRun == "All" else {
                throw .badRequest("dryRun must be \"All\": invalid value \"\(dryRun)\"")
            }
            options.dryRun = true
        }
        options.fieldValidation = try FieldValidation.parse(query["fieldValidation"])
        return options
    }

    /// The `labelSelector`/`fieldSelector` filter for this endpoint's namespace.
    func filter() throws(KubeAPIError) -> ObjectFilter {
        let labelSelector = try query["labelSelector"].map { text throws(KubeAPIError) in try LabelSelector.parse(text) }
            ?? .everything
        var fieldSelector = try query["fieldSelector"].map { text throws(KubeAPIError) in
            try FieldSelector.parse(text, for: definition)
        } ?? .everything
        if let name = target.name {
            // A watch on one object is a watch on the collection restricted to its name.
            fieldSelector = FieldSelector(terms: fieldSelector.terms + [.init(path: "metadata.name", value: name, negated: false)])
        }
        return ObjectFilter(resource: definition.resource, namespace: target.namespace,
                           labelSelector: labelSelector, fieldSelector: fieldSelector)
    }

    /// The real server's check on a metadata-only request: `PartialObjectMetadataList` for a
    /// list, `PartialObjectMetadata` for one object and for each event of a watch.
    func requirePartialObjectMetadataKind(list isList: Bool, asked askedList: Bool) throws(KubeAPIError) {
        guard isList != askedList else { return }
        let message = isList
            ? "you requested PartialObjectMetadata, but the requested object is a list (*v1.\(definition.listKind))"
            : "you requested PartialObjectMetadataList, but the requested object is not a list (*v1.\(definition.kind))"
        throw KubeAPIError(code: 406, reason: "NotAcceptable", message: message)
    }

    /// An object as returned in a response of the negotiated format.
    func render(_ object: JSONValue, status: Int = 200, warnings: [String] = []) throws(KubeAPIError) -> Response {
        switch format {
        case .object:
            return APIResponse.json(object, status: status, warnings: warnings)
        case .table(let version):
            let renderer = try TableRenderer(definition: definition, version: version, query: query)
            let metadata: JSONValue = ["resourceVersion": .string(object.resourceVersion)]
            return APIResponse.json(renderer.table([object], metadata: metadata), status: status, warnings: warnings)
        case .partialObjectMetadata(let version, let list):
            try requirePartialObjectMetadataKind(list: false, asked: list)
            return APIResponse.json(PartialObjectMetadata.of(object, version: version), status: status, warnings: warnings)
        }
    }
}
