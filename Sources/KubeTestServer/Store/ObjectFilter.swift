/// Which objects a LIST, WATCH or DELETE of a collection selects: a resource, optionally one
/// namespace, and label and field selectors.
struct ObjectFilter: Sendable {
    let resource: KubeResource
    /// `nil` for all namespaces (and for cluster-scoped resources).
    let namespace: String?
    let labelSelector: LabelSelector
    let fieldSelector: FieldSelector

    func matches(_ object: JSONValue) -> Bool {
        if let namespace, object.namespace != namespace { return false }
        return labelSelector.matches(object.labels) && fieldSelector.matches(object)
    }

    /// The event this filter's watcher should see for `event`, if any.
    ///
    /// Mirrors the real watch cache: an object entering the selection is `ADDED`, one leaving
    /// it is `DELETED` (with its previous content and the event's resource version), and a
    /// deletion is seen only if the deleted object was selected.
    func view(of event: StoredEvent) -> (type: WatchEventType, object: JSONValue)? {
        guard event.resource == resource else { return nil }
        let currentPasses = event.type != .deleted && matches(event.object)
        let previousPasses = event.previous.map(matches) ?? false
        switch (currentPasses, previousPasses) {
        case (true, false):
            return (.added, event.object)
        case (true, true):
            return (.modified, event.object)
        case (false, true):
            var previous = event.previous!
            previous[path: ["metadata", "resourceVersion"]] = .string(String(event.resourceVersion))
            return (.deleted, previous)
        case (false, false):
            return nil
        }
    }
}
