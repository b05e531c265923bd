/// LIST with selectors and consistent pagination.
extension ObjectStore {
    /// The message of the real API server when a continue token has left the compaction window.
    static let continueExpiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list "
        + "without the continue parameter, or use the continue token in this response to retrieve the remainder of "
        + "the results. Continuing with the provided token results in an inconsistent list - objects that were "
        + "created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

    /// One page of the objects `query` selects, in key order.
    ///
    /// Continuation pages show the state at the first page's resource version, rebuilt by
    /// undoing later events, so a paginated LIST is a consistent snapshot like etcd's. The
    /// same mechanism serves `resourceVersionMatch=Exact`; otherwise the latest state is served,
    /// which satisfies both `resourceVersion=0` ("any") and `NotOlderThan`.
    func list(_ query: ListQuery) throws(KubeAPIError) -> ListPage {
        let resource = query.filter.resource
        var table = table(of: resource)
        var snapshotVersion = resourceVersion
        let startAfter = query.continueToken?.startAfter
        if let minimum = query.minimumVersion ?? query.exactVersion, minimum > resourceVersion {
            throw .resourceVersionTooLarge(requested: minimum, current: resourceVersion)
        }
        if query.continueToken == nil, let exact = query.exactVersion {
            guard history.canResume(from: exact) else {
                throw .expired("too old resource version: \(exact) (\(history.oldestResumableVersion))")
            }
            snapshotVersion = exact
            for (key, state) in history.states(of: resource, at: exact) {
                table[key] = state
            }
        }
        if let token = query.continueToken, token.resourceVersion >= 0 {
            guard history.canResume(from: token.resourceVersion), token.resourceVersion <= resourceVersion else {
                let fresh = ContinueToken(resourceVersion: -1, startAfter: token.startAfter)
                throw .expired(Self.continueExpiredMessage, continueToken: fresh.encoded)
            }
            snapshotVersion = token.resourceVersion
            for (key, state) in history.states(of: resource, at: snapshotVersion) {
                table[key] = state
            }
        }

        var keys = table.keys.filter { key in
            (query.filter.namespace == nil || key.namespace == query.filter.namespace)
                && (startAfter == nil || key.path > startAfter!)
        }
        if let name = query.filter.fieldSelector.requiredName {
            keys = keys.filter { $0.name == name }
        }
        keys.sort()

        let limit = query.limit.flatMap { $0 > 0 ? $0 : nil } ?? Int.max
        var items: [JSONValue] = []
        var lastKey: ObjectKey?
        var hasMore = false
        var remaining = 0
        let countsRemaining = query.filter.labelSelector.isEverything && query.filter.fieldSelector.isEverything
        for key in keys {
            let object = table[key]!
            guard query.filter.matches(object) else { continue }
            if items.count < limit {
                items.append(object)
                lastKey = key
            } else {
                hasMore = true
                if !countsRemaining { break }
                remaining += 1
            }
        }
        let next = hasMore ? lastKey.map { ContinueToken(resourceVersion: snapshotVersion, startAfter: $0.path) } : nil
        return ListPage(items: items, resourceVersion: snapshotVersion, continueToken: next,
                        remainingItemCount: hasMore && countsRemaining ? remaining : nil)
    }
}
