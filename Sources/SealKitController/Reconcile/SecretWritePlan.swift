public import KubeClient
public import SealKit

/// What to do with the cluster's Secret given the one a SealedSecret unseals to (DESIGN 1.4):
/// create it; replace it when this SealedSecret owns it or it is annotated `managed`; merge
/// into it when annotated `patch`; leave it alone (and report) otherwise. Pure, so the rules
/// are tested without a cluster.
public enum SecretWritePlan: Sendable {
    case create(KubeObject)
    /// Write `updated` (a full object with the existing resourceVersion, so the write is conditional).
    case update(KubeObject)
    /// The existing Secret already matches.
    case unchanged
    /// The Secret exists and is not ours to change.
    case refuse(reason: String)
    /// The existing Secret is immutable and differs; it must be deleted and created again.
    case recreate(delete: KubeObject, create: KubeObject)

    public static let managedAnnotation = "sealedsecrets.bitnami.com/managed"
    public static let patchAnnotation = "sealedsecrets.bitnami.com/patch"

    /// - Parameters:
    ///   - desired: the unsealed Secret (name, namespace, owner reference already set).
    ///   - existing: the Secret in the cluster, if any.
    ///   - ownerUID: the SealedSecret's uid.
    public static func plan(desired: Secret, existing: KubeObject?, ownerUID: String?) -> SecretWritePlan {
        let desiredObject = KubeObject(desired.node())
        guard let existing else { return .create(desiredObject) }

        let annotations = existing.metadata.annotations
        let owned = ownerUID.map { uid in ownerReferences(of: existing).contains { $0.uid == uid && $0.controller } } ?? false
        let managed = annotations[managedAnnotation] == "true"
        let patch = annotations[patchAnnotation] == "true"
        guard owned || managed || patch else {
            return .refuse(reason: "Resource \"\(existing.name ?? "")\" already exists and is not managed by SealedSecret")
        }

        var updated = existing
        var metadata = updated.metadata
        let desiredData = desiredObject["data"]?.mapping ?? Mapping()
        if patch {
            var data = existing["data"]?.mapping ?? Mapping()
            for entry in desiredData { data[entry.key] = entry.value }
            updated["data"] = data.isEmpty ? nil : .mapping(data)
            metadata.annotations.merge(desired.metadata.annotations) { $1 }
            metadata.labels.merge(desired.metadata.labels) { $1 }
            if managed { metadata.fields["ownerReferences"] = desired.metadata.fields["ownerReferences"] }
        } else {
            updated["data"] = desiredData.isEmpty ? nil : .mapping(desiredData)
            metadata.annotations = desired.metadata.annotations
            metadata.labels = desired.metadata.labels
            metadata.fields["ownerReferences"] = desired.metadata.fields["ownerReferences"]
        }
        updated.metadata = metadata
        updated["type"] = desired.type.map(Node.string) ?? existing["type"]
        if let immutable = desired.immutable { updated["immutable"] = .bool(immutable) }

        if semanticallyEqual(updated, existing) { return .unchanged }
        if existing["immutable"]?.scalar?.boolValue == true, !sameContent(updated, existing) {
            // The API server refuses any change to an immutable Secret's data or type;
            // replacing it is the only way to apply a new version. Labels, annotations and
            // owners may change in place, so such a change stays an update.
            var fresh = updated
            var freshMetadata = fresh.metadata
            freshMetadata.removeServerSetFields()
            fresh.metadata = freshMetadata
            return .recreate(delete: existing, create: fresh)
        }
        return .update(updated)
    }

    struct OwnerReference {
        var uid: String
        var controller: Bool
    }

    static func ownerReferences(of object: KubeObject) -> [OwnerReference] {
        (object.metadata.fields["ownerReferences"]?.sequence ?? []).compactMap { node in
            guard let reference = node.mapping, let uid = reference["uid"]?.scalar?.text else { return nil }
            return OwnerReference(uid: uid, controller: reference["controller"]?.scalar?.boolValue ?? false)
        }
    }

    /// Equal in what an immutable Secret freezes: data, type and the flag itself.
    static func sameContent(_ a: KubeObject, _ b: KubeObject) -> Bool {
        func content(_ object: KubeObject) -> [Node?] {
            let comparable = comparableNode(object).mapping
            return [comparable?["data"], comparable?["type"], comparable?["immutable"]]
        }
        return content(a) == content(b)
    }

    /// Equal in what the controller writes: data, type, immutability, labels, annotations, owners.
    static func semanticallyEqual(_ a: KubeObject, _ b: KubeObject) -> Bool {
        comparableNode(a) == comparableNode(b)
    }

    /// The written fields in canonical form (sorted keys, normalised defaults).
    static func comparableNode(_ object: KubeObject) -> Node {
        let metadata = object.metadata
        return .mapping(Mapping([
            "data": canonical(object["data"]),
            "type": canonical(object["type"] ?? .string("Opaque")),
            "immutable": .bool(object["immutable"]?.scalar?.boolValue ?? false),
            "labels": .mapping(.sortedStrings(metadata.labels)),
            "annotations": .mapping(.sortedStrings(metadata.annotations)),
            "ownerReferences": canonical(metadata.fields["ownerReferences"]),
        ]))
    }

    private static func canonical(_ node: Node?) -> Node {
        switch node {
        case nil: return .mapping(Mapping())
        case .mapping(let mapping)?:
            return .mapping(Mapping(mapping.entries.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: canonical($0.value)) }))
        case .sequence(let items)?: return .sequence(items.map { canonical($0) })
        case .scalar(let scalar)?:
            if scalar.isNullLike { return .mapping(Mapping()) }
            return .scalar(Scalar(scalar.text, style: scalar.kind == .string ? .quoted : .plain))
        }
    }
}

private extension Scalar {
    var isNullLike: Bool { kind == .null }
}
