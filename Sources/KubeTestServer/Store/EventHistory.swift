/// The most recent committed events, bounded like etcd's compaction window.
///
/// A watch may resume from resource version `N` only if every event after `N` is still here;
/// otherwise the client gets `410 Expired` and must re-list, exactly the situation informers
/// have to survive against a real cluster. The window is counted in events.
struct EventHistory: Sendable {
    let capacity: Int
    private var events: [StoredEvent] = []
    /// Index of the oldest event in `events` once the buffer has wrapped.
    private var head = 0
    /// The oldest resource version a client may resume from: all later events are retained.
    private(set) var oldestResumableVersion: Int

    init(capacity: Int, startingAt resourceVersion: Int) {
        self.capacity = max(0, capacity)
        self.oldestResumableVersion = resourceVersion
        events.reserveCapacity(min(self.capacity, 4096))
    }

    /// Records `event`, evicting the oldest one when the window is full.
    mutating func append(_ event: StoredEvent) {
        guard capacity > 0 else {
            oldestResumableVersion = event.resourceVersion
            return
        }
        if events.count < capacity {
            events.append(event)
        } else {
            oldestResumableVersion = events[head].resourceVersion
            events[head] = event
            head = (head + 1) % capacity
        }
    }

    /// Forgets every event, as a compaction up to `resourceVersion` would.
    mutating func compact(through resourceVersion: Int) {
        events.removeAll(keepingCapacity: true)
        head = 0
        oldestResumableVersion = resourceVersion
    }

    /// Whether the events after `resourceVersion` are all retained.
    func canResume(from resourceVersion: Int) -> Bool {
        resourceVersion >= oldestResumableVersion
    }

    /// The retained events with a resource version greater than `resourceVersion`, oldest first.
    func events(after resourceVersion: Int) -> [StoredEvent] {
        let ordered = events.count < capacity ? events[...] : (events[head...] + events[..<head])
        guard let first = ordered.firstIndex(where: { $0.resourceVersion > resourceVersion }) else { return [] }
        return Array(ordered[first...])
    }

    /// For each object of `resource` changed after `resourceVersion`, its state at that
    /// version (`nil` if it did not exist then). Applied over the current state, this yields
    /// the state at `resourceVersion`.
    func states(of resource: KubeResource, at resourceVersion: Int) -> [ObjectKey: JSONValue?] {
        var states: [ObjectKey: JSONValue?] = [:]
        for event in events(after: resourceVersion) where event.resource == resource && states[event.key] == nil {
            states[event.key] = .some(event.previous)
        }
        return states
    }
}
