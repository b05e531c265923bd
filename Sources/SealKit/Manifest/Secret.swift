/// A core/v1 `Secret`: what a developer seals and what unsealing produces. Values are held as
/// ``SecretBytes`` (wiped when released, never printed).
public struct Secret: Sendable {
    public struct Item: Sendable, Equatable {
        public var key: String
        public var value: SecretBytes

        public init(key: String, value: SecretBytes) {
            self.key = key
            self.value = value
        }
    }

    public var metadata: ObjectMetadata
    public var type: String?
    public var immutable: Bool?
    /// `data` merged with `stringData` (which wins on a clash, as the API server does), in key order.
    public var items: [Item]

    public init(metadata: ObjectMetadata, type: String? = nil, immutable: Bool? = nil, items: [Item] = []) {
        self.metadata = metadata
        self.type = type
        self.immutable = immutable
        self.items = items
    }

    /// Reads a Secret manifest.
    /// - Throws: `ManifestError` naming the field or item that is wrong (a value is never quoted).
    public init(node: Node) throws(ManifestError) {
        guard let object = node.mapping else {
            throw ManifestError("expected a Secret object, found \(node.kindDescription)")
        }
        let kind = object["kind"]?.scalar?.text ?? ""
        let apiVersion = object["apiVersion"]?.scalar?.text ?? ""
        guard kind == "Secret", apiVersion == "v1" || apiVersion.isEmpty else {
            let found = kind.isEmpty ? "an object without a kind" : "\(apiVersion.isEmpty ? "" : apiVersion + " ")\(kind)"
            throw ManifestError("expected a v1 Secret, found \(found)")
        }
        metadata = try ObjectMetadata(from: object["metadata"], object: "Secret")
        type = try Self.optionalString(object["type"], field: "type")
        immutable = try Self.optionalBool(object["immutable"], field: "immutable")

        var values: [String: SecretBytes] = [:]
        if let data = try Self.optionalMapping(object["data"], field: "data") {
            for entry in data {
                guard let scalar = entry.value.scalar else {
                    throw ManifestError("data value must be a base64 string, found \(entry.value.kindDescription)", item: entry.key)
                }
                let text = scalar.kind == .null ? "" : scalar.text
                do {
                    values[entry.key] = SecretBytes(try Base64.decode(text))
                } catch {
                    throw ManifestError("invalid base64 in data: \(error)", item: entry.key)
                }
            }
        }
        if let stringData = try Self.optionalMapping(object["stringData"], field: "stringData") {
            for entry in stringData {
                guard let scalar = entry.value.scalar else {
                    throw ManifestError("stringData value must be a string, found \(entry.value.kindDescription)", item: entry.key)
                }
                values[entry.key] = SecretBytes(utf8: scalar.kind == .null ? "" : scalar.text)
            }
        }
        for key in values.keys where !Self.isValidKey(key) {
            throw ManifestError("invalid Secret key: must consist of alphanumerics, '-', '_' or '.'", item: key)
        }
        items = values.keys.sorted().map { Item(key: $0, value: values[$0]!) }
    }

    public subscript(key: String) -> SecretBytes? {
        items.first { $0.key == key }?.value
    }

    /// The manifest, with `data` base64-encoded in key order, as the API server returns it.
    public func node() -> Node {
        var object = Mapping()
        object["apiVersion"] = .string("v1")
        object["kind"] = .string("Secret")
        object["metadata"] = .mapping(metadata.fields)
        if let type { object["type"] = .string(type) }
        if let immutable { object["immutable"] = .bool(immutable) }
        if !items.isEmpty {
            object["data"] = .mapping(Mapping(items.map { item in
                Mapping.Entry(key: item.key, value: .string(item.value.withUnsafeBytes { Base64.encode($0) }))
            }))
        }
        return .mapping(object)
    }

    /// Kubernetes' rule for Secret keys: `[-._a-zA-Z0-9]+`, at most 253 characters.
    static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 253 && key.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    static func optionalString(_ node: Node?, field: String) throws(ManifestError) -> String? {
        guard let node, !node.isNull else { return nil }
        guard let scalar = node.scalar else {
            throw ManifestError("\(field) must be a string, found \(node.kindDescription)")
        }
        return scalar.text
    }

    static func optionalBool(_ node: Node?, field: String) throws(ManifestError) -> Bool? {
        guard let node, !node.isNull else { return nil }
        guard let value = node.scalar?.boolValue else {
            throw ManifestError("\(field) must be true or false, found \(node.kindDescription)")
        }
        return value
    }

    static func optionalMapping(_ node: Node?, field: String) throws(ManifestError) -> Mapping? {
        guard let node, !node.isNull else { return nil }
        guard let mapping = node.mapping else {
            throw ManifestError("\(field) must be a mapping, found \(node.kindDescription)")
        }
        return mapping
    }
}
