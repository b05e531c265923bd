/// Query parameters of list and watch calls.
public struct ListOptions: Sendable, Equatable {
    /// e.g. `app=db,tier!=cache`.
    public var labelSelector: String?
    /// e.g. `metadata.name=db`.
    public var fieldSelector: String?
    /// Page size; lists are always read in pages so memory stays bounded.
    public var limit: Int
    /// Ask for metadata only (`PartialObjectMetadata`), as client-go's metadata informers do:
    /// the objects arrive without `data`/`spec`, so a watcher of every Secret in the cluster
    /// never holds their values. Items come back as kind `PartialObjectMetadata`,
    /// apiVersion `meta.k8s.io/v1`.
    public var metadataOnly: Bool

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int = 500, metadataOnly: Bool = false) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.metadataOnly = metadataOnly
    }

    /// The `Accept` header of a list request: the metadata-only form first, then plain JSON
    /// (which an old server that cannot convert answers with, as for client-go).
    var listAccept: String {
        metadataOnly ? "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json" : "application/json"
    }

    /// The `Accept` header of a watch request: each event's object is one `PartialObjectMetadata`.
    var watchAccept: String {
        metadataOnly ? "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json" : "application/json"
    }

    func queryItems() -> [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        return items
    }
}
