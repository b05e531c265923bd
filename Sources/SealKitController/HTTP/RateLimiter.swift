import Foundation
import Synchronization

/// A token bucket: `burst` requests at once, refilled at `perSecond`. Guards the endpoints that
/// cost an RSA private operation per item (`/v1/verify`, `/v1/rotate`) against being used as
/// a decryption oracle or a CPU sink.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let perSecond: Double
    private let burst: Double
    private let bucket: Mutex<Bucket>

    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = Double(burst)
        bucket = Mutex(Bucket(tokens: Double(burst), updated: .now))
    }

    /// Takes one token if there is one.
    public func allow() -> Bool {
        bucket.withLock { bucket in
            let now = ContinuousClock.now
            let elapsed = bucket.updated.duration(to: now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
    }
}
