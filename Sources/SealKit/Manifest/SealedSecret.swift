/// A `bitnami.com/v1alpha1` `SealedSecret` (DESIGN 1.3). The whole source tree is kept, so
/// rewriting one (merging items, re-sealing) leaves every field SealKit does not own as it was.
public struct SealedSecret: Sendable {
    public static let apiVersion = "bitnami.com/v1alpha1"
    public static let kind = "SealedSecret"

    public struct EncryptedItem: Sendable, Equatable {
        public var key: String
        /// Base64 text exactly as stored in the manifest.
        public var ciphertext: String

        public init(key: String, ciphertext: String) {
            self.key = key
            self.ciphertext = ciphertext
        }
    }

    /// `spec.template`: the shape of the Secret to produce.
    public struct Template: Sendable {
        public var metadata: ObjectMetadata
        public var type: String?
        public var immutable: Bool?
        /// `spec.template.data`: Go templates rendered over the decrypted items.
        public var data: [(key: String, template: String)]

        public init(metadata: ObjectMetadata = ObjectMetadata(), type: String? = nil, immutable: Bool? = nil,
                    data: [(key: String, template: String)] = []) {
            self.metadata = metadata
            self.type = type
            self.immutable = immutable
            self.data = data
        }
    }

    public var metadata: ObjectMetadata
    public var encryptedData: [EncryptedItem]
    public var template: Template
    /// The deprecated v1 format: one ciphertext of a whole JSON Secret in `spec.data`.
    public var legacyData: String?
    /// The object as read, so fields SealKit does not model are written back unchanged.
    private var source: Mapping

    public init(metadata: ObjectMetadata, encryptedData: [EncryptedItem], template: Template) {
        self.metadata = metadata
        self.encryptedData = encryptedData
        self.template = template
        legacyData = nil
        source = Mapping()
    }

    public init(node: Node) throws(ManifestError) {
        guard let object = node.mapping else {
            throw ManifestError("expected a SealedSecret object, found \(node.kindDescription)")
        }
        let kind = object["kind"]?.scalar?.text ?? ""
        let apiVersion = object["apiVersion"]?.scalar?.text ?? ""
        guard kind == Self.kind, apiVersion == Self.apiVersion else {
            let found = kind.isEmpty ? "an object without a kind" : "\(apiVersion) \(kind)"
            throw ManifestError("expected a \(Self.apiVersion) SealedSecret, found \(found)")
        }
        source = object
        metadata = try ObjectMetadata(from: object["metadata"], object: "SealedSecret")
        guard let spec = try Secret.optionalMapping(object["spec"], field: "spec") else {
            throw ManifestError("SealedSecret has no spec")
        }
        encryptedData = []
        if let items = try Secret.optionalMapping(spec["encryptedData"], field: "spec.encryptedData") {
            for entry in items {
                guard let scalar = entry.value.scalar, scalar.kind != .null else {
                    throw ManifestError("encryptedData value must be a base64 string, found \(entry.value.kindDescription)",
                                        item: entry.key)
                }
                encryptedData.append(EncryptedItem(key: entry.key, ciphertext: scalar.text))
            }
        }
        legacyData = try Secret.optionalString(spec["data"], field: "spec.data")
        template = Template()
        if let templateNode = try Secret.optionalMapping(spec["template"], field: "spec.template") {
            template.metadata = try ObjectMetadata(from: templateNode["metadata"], object: "template")
            template.type = try Secret.optionalString(templateNode["type"], field: "spec.template.type")
            template.immutable = try Secret.optionalBool(templateNode["immutable"], field: "spec.template.immutable")
            if let data = try Secret.optionalMapping(templateNode["data"], field: "spec.template.data") {
                for entry in data {
                    guard let scalar = entry.value.scalar else {
                        throw ManifestError("template data must be a string, found \(entry.value.kindDescription)", item: entry.key)
                    }
                    template.data.append((entry.key, scalar.kind == .null ? "" : scalar.text))
                }
            }
        }
    }

    /// The scope the controller will decrypt under: from the top-level annotations only, never
    /// the template (so editing the template cannot widen it).
    public var scope: SealingScope { SealingScope(annotations: metadata.annotations) }

    public subscript(key: String) -> String? {
        encryptedData.first { $0.key == key }?.ciphertext
    }

    /// Adds or replaces one item, keeping the position of an existing key.
    public mutating func setCiphertext(_ ciphertext: String, for key: String) {
        if let index = encryptedData.firstIndex(where: { $0.key == key }) {
            encryptedData[index].ciphertext = ciphertext
        } else {
            encryptedData.append(EncryptedItem(key: key, ciphertext: ciphertext))
        }
    }

    /// The manifest. Fields read from the source are kept in place; SealKit's own fields are
    /// replaced. A `creationTimestamp: null` is never emitted (DESIGN 1.3).
    public func node() -> Node {
        var object = source
        object["apiVersion"] = .string(Self.apiVersion)
        object["kind"] = .string(Self.kind)
        var metadataFields = metadata.fields
        if metadataFields["creationTimestamp"]?.isNull == true { metadataFields["creationTimestamp"] = nil }
        object["metadata"] = .mapping(metadataFields)

        var spec = object["spec"]?.mapping ?? Mapping()
        spec["encryptedData"] = .mapping(Mapping(encryptedData.map { Mapping.Entry(key: $0.key, value: .string($0.ciphertext)) }))
        var templateNode = spec["template"]?.mapping ?? Mapping()
        var templateMetadata = template.metadata.fields
        if templateMetadata["creationTimestamp"]?.isNull == true { templateMetadata["creationTimestamp"] = nil }
        templateNode["metadata"] = .mapping(templateMetadata)
        templateNode["type"] = template.type.map(Node.string)
        templateNode["immutable"] = template.immutable.map(Node.bool)
        templateNode["data"] = template.data.isEmpty
            ? nil : .mapping(Mapping(template.data.map { Mapping.Entry(key: $0.key, value: .string($0.template)) }))
        spec["template"] = .mapping(templateNode)
        spec["data"] = legacyData.map(Node.string)
        object["spec"] = .mapping(spec)
        return .mapping(object)
    }
}
