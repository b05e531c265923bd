/// Runtime fault injection, for testing how clients and the controller survive a misbehaving
/// API server. Thread-safe; changes apply to the next request.
///
/// Obtain it from ``KubeAPIServer/faults``.
public final class FaultInjection: Sendable {
    private struct PendingFailure: Sendable {
        var remaining: Int
        let failure: InjectedFailure
        let matcher: RequestMatcher
    }

    private struct Delay: Sendable {
        let duration: Duration
        let matcher: RequestMatcher
    }

    private struct State: Sendable {
        var failures: [PendingFailure] = []
        var delays: [Delay] = []
        var forbidden: [AccessRule] = []
    }

    private let state = Locked(State())
    private let store: ObjectStore

    init(store: ObjectStore, forbidden: [AccessRule]) {
        self.store = store
        state.withLock { $0.forbidden = forbidden }
    }

    /// Answers the next `count` matching requests with `failure` instead of serving them.
    /// Calls accumulate: each armed batch is used up in order.
    public func failNext(_ count: Int, with failure: InjectedFailure, matching matcher: RequestMatcher = .any) {
        guard count > 0 else { return }
        state.withLock { $0.failures.append(PendingFailure(remaining: count, failure: failure, matcher: matcher)) }
    }

    /// Delays every matching request by `duration` before it is served, until ``reset()``.
    public func delayResponses(by duration: Duration, matching matcher: RequestMatcher = .any) {
        state.withLock { $0.delays.append(Delay(duration: duration, matcher: matcher)) }
    }

    /// Denies matching requests with RBAC's 403 `Forbidden` answer until ``reset()`` or
    /// ``allow(_:)``.
    public func forbid(_ rule: AccessRule) {
        state.withLock { $0.forbidden.append(rule) }
    }

    /// Removes a rule added with ``forbid(_:)`` (or configured at start).
    public func allow(_ rule: AccessRule) {
        state.withLock { $0.forbidden.removeAll { $0 == rule } }
    }

    /// Closes every open watch connection abruptly, without the end of the chunked response,
    /// once it has sent `count` more events — a dropped TCP connection as informers see it.
    /// The close happens when the watch's next event is due (with 0, right away), so the
    /// client has read the `count` events before the connection breaks. Watches opened later
    /// are unaffected.
    public func dropWatches(afterEvents count: Int) async {
        await store.dropWatches(afterEvents: count)
    }

    /// Sends every open watch an `ERROR` event with `410 Expired` and ends it, and compacts the
    /// event history so that resuming from any earlier resource version also gets 410.
    public func expireWatches() async {
        await store.expireWatches()
    }

    /// Clears armed failures, delays and forbid rules (configured rules included).
    public func reset() {
        state.withLock { $0 = State() }
    }

    /// Failures still armed, summed over all batches.
    public var pendingFailureCount: Int {
        state.withLock { $0.failures.reduce(0) { $0 + $1.remaining } }
    }

    // MARK: Request path

    /// The total delay to apply to this request.
    func delay(for attributes: RequestAttributes) -> Duration {
        state.withLock { state in
            state.delays.filter { $0.matcher.matches(attributes) }.reduce(Duration.zero) { $0 + $1.duration }
        }
    }

    /// Consumes one armed failure matching this request, if any.
    func takeFailure(for attributes: RequestAttributes) -> InjectedFailure? {
        state.withLock { state in
            guard let index = state.failures.firstIndex(where: { $0.matcher.matches(attributes) }) else { return nil }
            let failure = state.failures[index].failure
            state.failures[index].remaining -= 1
            if state.failures[index].remaining == 0 { state.failures.remove(at: index) }
            return failure
        }
    }

    /// Whether a forbid rule denies this request.
    func isForbidden(_ attributes: RequestAttributes) -> Bool {
        state.withLock { $0.forbidden.contains { $0.matches(attributes) } }
    }
}
