/// What the store sends down one open watch; the HTTP layer turns each into a line of JSON
/// or into the end of the response.
enum WatchSignal: Sendable {
    /// An `ADDED`, `MODIFIED` or `DELETED` event.
    case event(WatchEventType, JSONValue)
    /// A `BOOKMARK` at this resource version; `initialEventsEnd` marks the end of the initial
    /// state for `sendInitialEvents=true` watches.
    case bookmark(resourceVersion: Int, initialEventsEnd: Bool)
    /// An `ERROR` event carrying this Status, after which the stream ends.
    case error(KubeAPIError)
    /// Close the connection without finishing the chunked response (fault injection).
    case drop
}

/// One open watch as the store tracks it.
struct WatchSubscription: Sendable {
    let filter: ObjectFilter
    let continuation: AsyncStream<WatchSignal>.Continuation
    /// Events left before the connection is dropped (fault injection); `nil` when not armed.
    var eventsBeforeDrop: Int?
}
