public import SealKit

/// One API object as the server returned it: the full JSON tree, with typed access to the
/// metadata every object has. Kind-specific types (Secret, SealedSecret) are built from `node`.
public struct KubeObject: Sendable {
    public var node: Node

    public init(_ node: Node) {
        self.node = node
    }

    public var metadata: ObjectMetadata {
        get { ObjectMetadata(node.mapping?["metadata"]?.mapping ?? Mapping()) }
        set {
            var object = node.mapping ?? Mapping()
            object["metadata"] = .mapping(newValue.fields)
            node = .mapping(object)
        }
    }

    public var name: String? { metadata.name }
    public var namespace: String? { metadata.namespace }
    public var uid: String? { metadata.uid }
    public var resourceVersion: String? { string(at: "resourceVersion") }
    public var generation: Int? { string(at: "generation").flatMap { Int($0) } }
    public var kind: String? { node.mapping?["kind"]?.scalar?.text }

    /// `namespace/name`, the identity used by caches and work queues.
    public var key: String { "\(namespace ?? "")/\(name ?? "")" }

    public subscript(field: String) -> Node? {
        get { node.mapping?[field] }
        set {
            var object = node.mapping ?? Mapping()
            object[field] = newValue
            node = .mapping(object)
        }
    }

    private func string(at field: String) -> String? {
        guard let scalar = node.mapping?["metadata"]?.mapping?[field]?.scalar, scalar.kind != .null else { return nil }
        return scalar.text
    }
}

extension KubeObject {
    /// The metadata-only view of an object, as the API server's `PartialObjectMetadata`:
    /// `apiVersion: meta.k8s.io/v1`, `kind: PartialObjectMetadata`, and `metadata` — nothing
    /// else of the object (no Secret `data`) is kept, even when a server sent it.
    ///
    /// The metadata itself loses kubectl's last-applied annotation, which for a Secret applied
    /// with kubectl is the whole Secret, data included, and `managedFields` (bulky, and of no use
    /// to a metadata watcher).
    static func partialMetadata(of node: Node) -> KubeObject {
        var metadata = ObjectMetadata(node.mapping?["metadata"]?.mapping ?? Mapping())
        metadata.fields["managedFields"] = nil
        if var annotations = metadata.fields["annotations"]?.mapping, annotations[ObjectMetadata.lastAppliedAnnotation] != nil {
            annotations[ObjectMetadata.lastAppliedAnnotation] = nil
            metadata.fields["annotations"] = .mapping(annotations)
        }
        return KubeObject(.mapping(Mapping([
            "apiVersion": .string("meta.k8s.io/v1"),
            "kind": .string("PartialObjectMetadata"),
            "metadata": .mapping(metadata.fields),
        ])))
    }
}

/// One event of a watch stream.
public enum WatchEvent: Sendable {
    case added(KubeObject)
    case modified(KubeObject)
    case deleted(KubeObject)
    /// Progress marker: the stream is current up to this resourceVersion.
    case bookmark(resourceVersion: String)

    public var object: KubeObject? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .bookmark: nil
        }
    }
}
