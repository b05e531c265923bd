/// Where one object lives within its resource: namespace and name.
///
/// Objects sort by `path` (`namespace/name`, or `name` when cluster-scoped), which is the
/// order of the real API server's etcd keys and therefore the order of LIST results and of
/// pagination.
struct ObjectKey: Hashable, Comparable, Sendable {
    let namespace: String
    let name: String
    /// `namespace/name`, or `name` for cluster-scoped objects.
    let path: String

    init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
        self.path = namespace.isEmpty ? name : "\(namespace)/\(name)"
    }

    static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        lhs.path < rhs.path
    }
}

/// One stored object across all resources: the unit the garbage collector works with.
struct ObjectReference: Hashable, Comparable, Sendable {
    let resource: KubeResource
    let key: ObjectKey

    static func < (lhs: ObjectReference, rhs: ObjectReference) -> Bool {
        (lhs.resource.description, lhs.key.path) < (rhs.resource.description, rhs.key.path)
    }
}
