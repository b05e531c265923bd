import Foundation

/// Ages as `kubectl get` prints them (`5s`, `3m20s`, `2d4h`), the algorithm of
/// `k8s.io/apimachinery/pkg/util/duration.HumanDuration`, so server-side tables read like a
/// real cluster's.
enum HumanDuration {
    static func format(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.down))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let rest = seconds % 60
            return rest == 0 ? "\(minutes)m" : "\(minutes)m\(rest)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let rest = minutes % 60
            return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let rest = hours % 24
            return rest == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(rest)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let days = (hours / 24) % 365
            return days == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(days)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// The age of an object whose `creationTimestamp` is `timestamp`, or `<unknown>`.
    static func age(of timestamp: String?, now: Date) -> String {
        guard let timestamp, let created = Timestamp.parse(timestamp) else { return "<unknown>" }
        return format(now.timeIntervalSince(created))
    }
}
