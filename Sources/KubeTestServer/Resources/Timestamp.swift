import Foundation

/// RFC 3339 timestamps at second precision in UTC, the format of `metav1.Time`
/// (`2024-05-01T12:00:00Z`).
enum Timestamp {
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func parse(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle().parse(text)
    }
}
