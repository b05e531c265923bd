public import KubeClient
import SealKit

/// What the controller keeps of each SealedSecret between reconciles: its identity and what
/// tells a change that needs unsealing from one that does not — not the object, whose
/// ciphertext is most of its size. A reconcile that must unseal reads the object afresh.
///
/// The spec is followed through `metadata.generation`, which the API server moves on every
/// spec change of a custom resource with a status subresource (as the CRD declares) and never
/// on a status write; annotations (the scope) and labels can change without it, so they are
/// followed by digest.
public struct SealedSecretRef: Sendable, Equatable {
    /// `namespace/name`. Every cache and the work queue share this one string for the object.
    public internal(set) var key: String
    public var uid: ObjectUID?
    public var resourceVersion: String?
    public var generation: Int?
    /// The `app.kubernetes.io/instance` label, for `condition_info`.
    public var instance: String
    var metadataDigest: ContentDigest

    /// `object` may be whole or metadata-only: only its metadata is read.
    public init(_ object: KubeObject) {
        let metadata = object.metadata
        key = "\(metadata.namespace ?? "")/\(metadata.name ?? "")"
        uid = ObjectUID(metadata.uid)
        resourceVersion = object.resourceVersion
        generation = object.generation
        instance = metadata.labels["app.kubernetes.io/instance"] ?? ""
        metadataDigest = Self.metadataDigest(metadata)
    }

    public var namespace: String { String(key[..<slash]) }
    public var name: String { String(key[key.index(after: slash)...]) }
    /// Namespaces and names cannot contain "/": the first one separates them.
    private var slash: String.Index { key.firstIndex(of: "/")! }

    /// Whether going from `self` to `next` can change the Secret: another object under the
    /// same name, a new spec, or new annotations or labels. A status write changes none.
    func needsReconcile(becoming next: SealedSecretRef) -> Bool {
        uid != next.uid || generation != next.generation || metadataDigest != next.metadataDigest
    }

    /// Annotations and labels, canonical (sorted) and without kubectl's last-applied copy,
    /// which a metadata-only watch does not carry.
    static func metadataDigest(_ metadata: ObjectMetadata) -> ContentDigest {
        var annotations = metadata.annotations
        annotations[ObjectMetadata.lastAppliedAnnotation] = nil
        return ContentDigest(of: Node.mapping(Mapping([
            "annotations": .mapping(.sortedStrings(annotations)),
            "labels": .mapping(.sortedStrings(metadata.labels)),
        ])))
    }
}
