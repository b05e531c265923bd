/// A manifest that is well-formed YAML/JSON but not a usable Secret or SealedSecret, or an item
/// that cannot be sealed or unsealed. Says where (document, item key) and never includes a
/// secret value.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based document index in the input stream, when known.
    public var document: Int?
    /// The `data` / `encryptedData` key the problem is about, when there is one.
    public var item: String?
    public var message: String

    public init(_ message: String, document: Int? = nil, item: String? = nil) {
        self.message = message
        self.document = document
        self.item = item
    }

    /// The same error, placed in a document of a stream.
    public func inDocument(_ index: Int) -> ManifestError {
        var copy = self
        copy.document = copy.document ?? index
        return copy
    }

    public var description: String {
        var parts: [String] = []
        if let document { parts.append("document \(document)") }
        if let item { parts.append("item \"\(item)\"") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
