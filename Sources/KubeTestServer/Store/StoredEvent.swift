/// The type of a watch event, as written in the event's `type` field.
enum WatchEventType: String, Sendable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
}

/// One committed change, kept in the event history for watch resumption and consistent
/// pagination.
///
/// Every write bumps the global resource version once and produces exactly one of these.
/// Keeping the previous state lets the watch filter turn a label change that leaves a
/// selector into a `DELETED` event (as the real watch cache does), and lets a paginated
/// LIST rebuild the state at the resource version of its first page.
struct StoredEvent: Sendable {
    let resourceVersion: Int
    let type: WatchEventType
    let resource: KubeResource
    let key: ObjectKey
    /// The object after the change; for `DELETED`, the last state stamped with the deletion's
    /// resource version, which is what the real server sends.
    let object: JSONValue
    /// The object before the change; `nil` for `ADDED`.
    let previous: JSONValue?
}
