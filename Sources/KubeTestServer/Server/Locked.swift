import Foundation

/// A value guarded by a lock, for state that synchronous, thread-safe APIs share with
/// request handlers (fault injection, the server's run state).
///
/// `@unchecked Sendable` is sound because every access to `value` goes through `withLock`;
/// `Value` itself must be `Sendable` so nothing non-sendable escapes the lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
