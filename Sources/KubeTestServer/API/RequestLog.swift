public import Foundation

/// One request as it arrived, for tests that check what a client sent (impersonation headers,
/// `Accept-Encoding`, the path a proxy tunnelled). Kept in memory only, never logged.
public struct RecordedRequest: Sendable {
    public let method: String
    /// Path and query, as sent.
    public let uri: String
    /// Every header, in order, names lowercased; repeated headers appear once per line sent.
    public let headers: [(name: String, value: String)]

    /// The values of every header line named `name` (case-insensitive).
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name == wanted }.map(\.value)
    }
}

/// The most recent requests, bounded so a long test cannot grow it without limit.
final class RequestLog: Sendable {
    static let capacity = 2000
    private let entries = Locked<[RecordedRequest]>([])

    func append(_ request: RecordedRequest) {
        entries.withLock {
            $0.append(request)
            if $0.count > Self.capacity { $0.removeFirst($0.count - Self.capacity) }
        }
    }

    var all: [RecordedRequest] { entries.withLock { $0 } }

    func clear() { entries.withLock { $0.removeAll() } }
}
