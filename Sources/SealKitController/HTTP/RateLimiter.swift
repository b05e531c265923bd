import Foundation
import Synchronization

/// Token buckets per (path, client), as Bitnami's controller limits: each client gets `burst`
/// requests at once on each of `/v1/verify` and `/v1/rotate`, refilled at `perSecond`. Guards
/// the endpoints that cost an RSA private operation per item against being used as a
/// decryption oracle or a CPU sink, without letting one busy client (a `reseal --online` run)
/// lock everyone else out, or one endpoint starve the other.
///
/// The table is bounded: clients are named by the caller (`X-Forwarded-For`), so a spoofed
/// name per request must not grow it. At `maximumBuckets`, buckets that have refilled
/// completely are dropped first (forgetting them changes nothing), then the longest idle.
public final class RateLimiter: Sendable {
    private struct Key: Hashable {
        let path: String
        let client: String
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    /// Buckets kept by default: a few hundred bytes each, so about a megabyte at most.
    public static let defaultMaximumBuckets = 4096
    /// Longest client name kept as a key (an IPv6 address with a zone fits); longer names are
    /// cut, so a huge header cannot make one bucket large either.
    static let maximumClientLength = 64

    private let perSecond: Double
    private let burst: Double
    private let maximumBuckets: Int
    private let buckets = Mutex<[Key: Bucket]>([:])

    /// - Parameters:
    ///   - perSecond: refill rate per client and path (NaN or negative: no refill).
    ///   - burst: requests a client may make at once on one path.
    ///   - maximumBuckets: bound of the table of buckets.
    public init(perSecond: Double, burst: Int, maximumBuckets: Int = RateLimiter.defaultMaximumBuckets) {
        self.perSecond = perSecond >= 0 ? perSecond : 0  // NaN and negatives: no refill
        self.burst = Double(max(burst, 0))
        self.maximumBuckets = max(maximumBuckets, 1)
    }

    /// Takes one token from `client`'s bucket for `path`, if there is one.
    public func allow(path: String, client: String) -> Bool {
        let key = Key(path: path, client: String(decoding: client.utf8.prefix(Self.maximumClientLength), as: UTF8.self))
        return buckets.withLock { buckets in
            let now = ContinuousClock.now
            if buckets[key] == nil, buckets.count >= maximumBuckets {
                makeRoom(&buckets, now: now)
            }
            var bucket = buckets[key].map { refilled($0, now: now) } ?? Bucket(tokens: burst, updated: now)
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return allowed
        }
    }

    /// Buckets currently held (for tests and metrics).
    var bucketCount: Int { buckets.withLock { $0.count } }

    private func refilled(_ bucket: Bucket, now: ContinuousClock.Instant) -> Bucket {
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Bucket(tokens: min(burst, bucket.tokens + seconds * perSecond), updated: now)
    }

    /// Drops every full bucket (a new one would be identical), then, if that is not enough,
    /// the longest idle ones down to three quarters of the bound — so the sort runs once per
    /// quarter of the table, not once per request.
    private func makeRoom(_ buckets: inout [Key: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { refilled($0.value, now: now).tokens < burst }
        let target = maximumBuckets - max(maximumBuckets / 4, 1)
        guard buckets.count > target else { return }
        let idlest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count - target)
        for (key, _) in idlest { buckets.removeValue(forKey: key) }
    }
}
