/// A LIST request after parsing: what to select and which page.
struct ListQuery: Sendable {
    var filter: ObjectFilter
    /// At most this many items per page; `nil` for everything.
    var limit: Int?
    var continueToken: ContinueToken?
    /// `resourceVersionMatch=Exact`: serve the state at this resource version.
    var exactVersion: Int?
    /// A `resourceVersion` the result must not be older than (`NotOlderThan`, the default).
    var minimumVersion: Int?
}

/// One page of a LIST answer.
struct ListPage: Sendable {
    let items: [JSONValue]
    /// The resource version the page reflects (`metadata.resourceVersion` of the list).
    let resourceVersion: Int
    /// The token for the next page, if more items match.
    let continueToken: ContinueToken?
    /// How many matching items follow this page, when known.
    let remainingItemCount: Int?
}
