/// Query parameters of list and watch calls.
public struct ListOptions: Sendable, Equatable {
    /// e.g. `app=db,tier!=cache`.
    public var labelSelector: String?
    /// e.g. `metadata.name=db`.
    public var fieldSelector: String?
    /// Page size; lists are always read in pages so memory stays bounded.
    public var limit: Int

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int = 500) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
    }

    func queryItems() -> [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        return items
    }
}
