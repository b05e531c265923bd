/// A manifest that is well-formed YAML/JSON but not a usable Secret or SealedSecret, or an item
/// that cannot be sealed or unsealed. Says where (document, item key) and never includes a
/// secret value.
public struct ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based document index in the input stream, when known.
    public var document: Int?
    /// The `data` / `encryptedData` key the problem is about, when there is one.
    public var item: String?
    public var message: String
    /// Every item that failed with its reason, when several items were tried (unsealing).
    public var itemFailures: [(item: String, reason: String)]

    public init(_ message: String, document: Int? = nil, item: String? = nil) {
        self.message = message
        self.document = document
        self.item = item
        itemFailures = []
    }

    /// Items that could not be unsealed, in the form Bitnami's controller reports on a
    /// SealedSecret's status: `no key could decrypt secret (password, username)`.
    public init(itemFailures: [(item: String, reason: String)]) {
        self.itemFailures = itemFailures
        document = nil
        if itemFailures.count == 1 {
            item = itemFailures[0].item
            message = itemFailures[0].reason
        } else {
            item = nil
            message = "\(itemFailures.count) items cannot be unsealed: "
                + itemFailures.map { "\($0.item): \($0.reason)" }.joined(separator: "; ")
        }
    }

    /// One line for a status condition: reasons with the items they apply to.
    public var conditionMessage: String {
        guard !itemFailures.isEmpty else { return message }
        var order: [String] = []
        var items: [String: [String]] = [:]
        for failure in itemFailures {
            if items[failure.reason] == nil { order.append(failure.reason) }
            items[failure.reason, default: []].append(failure.item)
        }
        return order.map { "\($0) (\(items[$0]!.joined(separator: ", ")))" }.joined(separator: "; ")
    }

    public static func == (lhs: ManifestError, rhs: ManifestError) -> Bool {
        lhs.document == rhs.document && lhs.item == rhs.item && lhs.message == rhs.message
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
