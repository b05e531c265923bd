/// `metadata` of a Kubernetes object, kept as its full field tree so fields SealKit does not
/// model (finalizers, managedFields, …) survive a read-modify-write, with typed access to the
/// ones it does.
public struct ObjectMetadata: Sendable, Equatable {
    public var fields: Mapping

    public init(_ fields: Mapping = Mapping()) {
        self.fields = fields
    }

    public init(name: String?, namespace: String?) {
        fields = Mapping()
        self.name = name
        self.namespace = namespace
    }

    /// Reads `metadata` from an object's tree; a missing or null value is empty metadata.
    init(from node: Node?, object: String) throws(ManifestError) {
        switch node {
        case nil: fields = Mapping()
        case .mapping(let mapping)?: fields = mapping
        case let other?:
            if other.isNull { fields = Mapping(); return }
            throw ManifestError("\(object) metadata must be a mapping, found \(other.kindDescription)")
        }
        // Fail early on ill-typed labels/annotations rather than dropping them later.
        _ = try stringMap("labels")
        _ = try stringMap("annotations")
    }

    public var name: String? {
        get { nonEmptyString("name") }
        set { fields["name"] = newValue.map(Node.string) }
    }

    public var namespace: String? {
        get { nonEmptyString("namespace") }
        set { fields["namespace"] = newValue.map(Node.string) }
    }

    public var uid: String? { nonEmptyString("uid") }

    public var labels: [String: String] {
        get { (try? stringMap("labels")) ?? [:] }
        set { setStringMap("labels", newValue) }
    }

    public var annotations: [String: String] {
        get { (try? stringMap("annotations")) ?? [:] }
        set { setStringMap("annotations", newValue) }
    }

    /// Fields the API server sets; they describe one stored object and must not travel in a
    /// template (DESIGN 1.3).
    static let serverSetFields = [
        "uid", "resourceVersion", "selfLink", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "managedFields",
    ]

    /// kubectl's copy of the last applied object: for a Secret it holds the plaintext.
    public static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    /// Drops the fields the API server sets (uid, resourceVersion, timestamps, …): what remains
    /// is what belongs in a manifest kept in git.
    public mutating func removeServerSetFields() {
        for field in Self.serverSetFields { fields[field] = nil }
    }

    /// The metadata a SealedSecret's template may carry: no server-set fields, no owner
    /// references, no last-applied configuration.
    func forTemplate() -> ObjectMetadata {
        var copy = self
        copy.removeServerSetFields()
        copy.fields["ownerReferences"] = nil
        var annotations = copy.annotations
        if annotations.removeValue(forKey: Self.lastAppliedAnnotation) != nil {
            copy.annotations = annotations
        }
        return copy
    }

    private func nonEmptyString(_ key: String) -> String? {
        guard let scalar = fields[key]?.scalar, scalar.kind != .null, !scalar.text.isEmpty else { return nil }
        return scalar.text
    }

    private func stringMap(_ key: String) throws(ManifestError) -> [String: String] {
        guard let node = fields[key], !node.isNull else { return [:] }
        guard let mapping = node.mapping else {
            throw ManifestError("metadata.\(key) must be a mapping of strings, found \(node.kindDescription)")
        }
        var result: [String: String] = [:]
        for entry in mapping {
            guard let scalar = entry.value.scalar else {
                throw ManifestError("metadata.\(key).\(entry.key) must be a string, found \(entry.value.kindDescription)")
            }
            result[entry.key] = scalar.kind == .null ? "" : scalar.text
        }
        return result
    }

    private mutating func setStringMap(_ key: String, _ value: [String: String]) {
        fields[key] = value.isEmpty ? nil : .mapping(.sortedStrings(value))
    }
}
