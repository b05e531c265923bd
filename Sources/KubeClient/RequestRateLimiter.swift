import Synchronization

/// A client-side limit on API requests (Bitnami's `--kubeclient-qps` / `--kubeclient-burst`,
/// client-go's token bucket): `burst` requests at once, then `perSecond`. Callers wait their
/// turn instead of being refused, so a large re-list cannot flood the API server.
public final class RequestRateLimiter: Sendable {
    public struct Settings: Sendable, Equatable {
        public var perSecond: Double
        public var burst: Int

        public init(perSecond: Double, burst: Int) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    private struct Bucket {
        /// When the bucket will next be full enough for one request, if nobody else takes it.
        var nextFree: ContinuousClock.Instant
    }

    let settings: Settings
    private let interval: Duration
    private let bucket: Mutex<Bucket>

    public init(_ settings: Settings) {
        let perSecond = settings.perSecond.isFinite ? min(max(settings.perSecond, 0.001), 1_000_000) : 1_000_000
        self.settings = Settings(perSecond: perSecond, burst: max(settings.burst, 1))
        interval = .nanoseconds(Int64(1_000_000_000 / perSecond))
        bucket = Mutex(Bucket(nextFree: .now - interval * self.settings.burst))
    }

    /// Waits until this request may go.
    func acquire() async {
        let wait = bucket.withLock { bucket -> Duration in
            let now = ContinuousClock.now
            // Unused capacity accumulates up to `burst` requests.
            let earliest = now - interval * settings.burst
            if bucket.nextFree < earliest { bucket.nextFree = earliest }
            bucket.nextFree += interval
            return bucket.nextFree > now ? now.duration(to: bucket.nextFree) : .zero
        }
        if wait > .zero { try? await Task.sleep(for: wait) }
    }
}
