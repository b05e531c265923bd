/// Typed access to the `metadata` fields every Kubernetes object carries.
///
/// Objects are stored as JSON trees; these accessors keep the store and the admission rules
/// from spelling out `["metadata", "..."]` paths everywhere.
extension JSONValue {
    var metadata: JSONValue {
        get { self["metadata"] ?? .object([:]) }
        set { self["metadata"] = newValue }
    }

    var name: String { metadata["name"]?.stringValue ?? "" }
    var namespace: String { metadata["namespace"]?.stringValue ?? "" }
    var uid: String { metadata["uid"]?.stringValue ?? "" }
    var resourceVersion: String { metadata["resourceVersion"]?.stringValue ?? "" }
    var generation: Int64? { metadata["generation"]?.intValue }
    var deletionTimestamp: String? { metadata["deletionTimestamp"]?.stringValue }
    var creationTimestamp: String? { metadata["creationTimestamp"]?.stringValue }

    /// `metadata.labels` as strings; values of other types are ignored (validation rejects them).
    var labels: [String: String] {
        (metadata["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    var finalizers: [String] {
        (metadata["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// The `uid`s of `metadata.ownerReferences`, the edges the garbage collector follows.
    var ownerUIDs: [String] {
        (metadata["ownerReferences"]?.arrayValue ?? []).compactMap { $0["uid"]?.stringValue }
    }
}
