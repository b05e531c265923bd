/// Direct access to the stored objects for test setup and assertions, bypassing HTTP,
/// authentication and fault injection. Writes follow the same rules as HTTP writes
/// (validation, defaults, resource versions, watch events, garbage collection).
extension KubeAPIServer {
    /// The resource version of the latest write (0 before any).
    public var resourceVersion: Int {
        get async { await store.resourceVersion }
    }

    /// Number of watch connections currently open.
    public var openWatchCount: Int {
        get async { await store.openWatchCount }
    }

    /// Creates `object` as a POST would; returns the stored object.
    @discardableResult
    public func create(_ object: JSONValue, in resource: KubeResource, namespace: String? = nil) async throws(KubeAPIError) -> JSONValue {
        let definition = try definition(resource, namespace: namespace)
        return try await store.create(object, definition: definition, namespace: namespace, options: WriteOptions()).object
    }

    /// The stored object, or `nil`.
    public func get(_ resource: KubeResource, namespace: String? = nil, name: String) async throws(KubeAPIError) -> JSONValue? {
        let definition = try definition(resource, namespace: namespace)
        return await store.get(definition, key: ObjectKey(namespace: namespace ?? "", name: name))
    }

    /// The stored objects of `resource`, in one namespace or all, in key order.
    public func list(_ resource: KubeResource, namespace: String? = nil) async throws(KubeAPIError) -> [JSONValue] {
        guard catalog.definition(for: resource) != nil else { throw .pathNotFound }
        return await store.objects(of: resource, namespace: namespace)
    }

    /// Replaces an object as a PUT would (conditional on `metadata.resourceVersion` if set);
    /// with `status: true`, as a PUT to the status subresource.
    @discardableResult
    public func update(
        _ object: JSONValue, in resource: KubeResource, namespace: String? = nil, status: Bool = false
    ) async throws(KubeAPIError) -> JSONValue {
        let definition = try definition(resource, namespace: namespace)
        if status && !definition.hasStatusSubresource { throw .pathNotFound }
        let key = ObjectKey(namespace: namespace ?? "", name: object.name)
        return try await store.update(
            definition: definition, key: key, target: status ? .status : .main, options: WriteOptions()
        ) { _ throws(KubeAPIError) in object }.object
    }

    /// Deletes an object as a DELETE would (dependents are garbage-collected); returns its
    /// last state.
    @discardableResult
    public func delete(_ resource: KubeResource, namespace: String? = nil, name: String) async throws(KubeAPIError) -> JSONValue {
        let definition = try definition(resource, namespace: namespace)
        switch try await store.delete(definition: definition, key: ObjectKey(namespace: namespace ?? "", name: name),
                                      options: DeleteOptions()) {
        case .deleted(let object), .pending(let object):
            return object
        }
    }

    private func definition(_ resource: KubeResource, namespace: String?) throws(KubeAPIError) -> ResourceDefinition {
        guard let definition = catalog.definition(for: resource) else { throw .pathNotFound }
        guard definition.namespaced == (namespace != nil) else {
            throw .badRequest(definition.namespaced
                ? "\(resource) are namespaced: a namespace is required"
                : "\(resource) are cluster-scoped: no namespace may be given")
        }
        return definition
    }
}
