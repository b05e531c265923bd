/// Where a watch starts.
enum WatchStart: Sendable {
    /// Synthetic `ADDED` events for the current state, then live events (`resourceVersion`
    /// unset or `0`). With `bookmark`, a `BOOKMARK` marks the end of the initial events
    /// (`sendInitialEvents=true`).
    case currentState(endBookmark: Bool)
    /// Events after this resource version, replayed from history, then live events.
    case after(Int)
    /// Live events only (`sendInitialEvents=false` without a resource version).
    case now
}

/// Watch registration and fan-out.
extension ObjectStore {
    /// Opens a watch: queues the initial or replayed events, then registers the stream for
    /// live events, all in one isolated step so no event is missed or duplicated.
    ///
    /// - Throws: `410 Expired` when `start` is older than the compaction window (the HTTP layer
    ///   sends it as an `ERROR` event, as the real server does), or `504` when it is newer
    ///   than the latest resource version.
    func openWatch(_ filter: ObjectFilter, from start: WatchStart) throws(KubeAPIError) -> (id: Int, stream: AsyncStream<WatchSignal>) {
        if case .after(let version) = start {
            if version > resourceVersion {
                throw .resourceVersionTooLarge(requested: version, current: resourceVersion)
            }
            if !history.canResume(from: version) {
                throw .expired("too old resource version: \(version) (\(history.oldestResumableVersion))")
            }
        }
        let (stream, continuation) = AsyncStream.makeStream(of: WatchSignal.self, bufferingPolicy: .unbounded)
        switch start {
        case .currentState(let endBookmark):
            let table = table(of: filter.resource)
            for key in table.keys.sorted() where filter.namespace == nil || key.namespace == filter.namespace {
                let object = table[key]!
                if filter.matches(object) {
                    continuation.yield(.event(.added, object))
                }
            }
            if endBookmark {
                continuation.yield(.bookmark(resourceVersion: resourceVersion, initialEventsEnd: true))
            }
        case .after(let version):
            for event in history.events(after: version) {
                if let view = filter.view(of: event) {
                    continuation.yield(.event(view.type, view.object))
                }
            }
        case .now:
            break
        }
        let id = nextWatchID
        nextWatchID += 1
        watches[id] = WatchSubscription(filter: filter, continuation: continuation, eventsBeforeDrop: nil)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.closeWatch(id) }
        }
        logger.debug("watch opened", metadata: ["watch": "\(id)", "resource": "\(filter.resource)"])
        return (id, stream)
    }

    /// Forgets a watch and ends its stream (idempotent).
    func closeWatch(_ id: Int) {
        guard let subscription = watches.removeValue(forKey: id) else { return }
        subscription.continuation.finish()
        logger.debug("watch closed", metadata: ["watch": "\(id)"])
    }

    /// Queues a `BOOKMARK` at the current resource version. Because it is queued behind every
    /// event already delivered, the bookmark never claims a version the client has not seen.
    func sendBookmark(to id: Int) {
        watches[id]?.continuation.yield(.bookmark(resourceVersion: resourceVersion, initialEventsEnd: false))
    }

    /// Sends `event` to every watch that selects it, honouring armed connection drops.
    func deliver(_ event: StoredEvent) {
        for id in watches.keys.sorted() {
            guard var subscription = watches[id], let view = subscription.filter.view(of: event) else { continue }
            if let remaining = subscription.eventsBeforeDrop {
                if remaining == 0 {
                    // The connection dies where this event would have been sent.
                    subscription.continuation.yield(.drop)
                    subscription.continuation.finish()
                    watches[id] = nil
                    continue
                }
                subscription.eventsBeforeDrop = remaining - 1
            }
            subscription.continuation.yield(.event(view.type, view.object))
            watches[id] = subscription
        }
    }

    /// Arms every open watch to drop its connection once it has sent `count` more events: the
    /// connection closes when the next event is due (with 0, right away). Dropping at the next
    /// event rather than right after the last one lets the client read every event it was sent.
    func dropWatches(afterEvents count: Int) {
        for (id, var subscription) in watches {
            if count <= 0 {
                subscription.continuation.yield(.drop)
                subscription.continuation.finish()
                watches[id] = nil
            } else {
                subscription.eventsBeforeDrop = count
                watches[id] = subscription
            }
        }
    }

    /// Ends every open watch with a `410 Expired` `ERROR` event and compacts the history, so
    /// resuming from any earlier version fails too — what clients see after etcd compaction.
    func expireWatches() {
        let oldest = resourceVersion
        compactHistory()
        for (id, subscription) in watches {
            subscription.continuation.yield(.error(.expired("too old resource version: \(oldest) (\(oldest))")))
            subscription.continuation.finish()
            watches[id] = nil
        }
    }

    /// Ends every open watch cleanly (server shutdown).
    func closeAllWatches() {
        for (_, subscription) in watches {
            subscription.continuation.finish()
        }
        watches.removeAll()
    }

    /// Number of open watches, for tests that wait for a watch to be registered.
    var openWatchCount: Int { watches.count }
}
