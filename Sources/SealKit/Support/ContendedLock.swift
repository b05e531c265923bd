import Foundation

/// A value behind a lock, for state that several threads take turns on all the time (the
/// worker pool's job queue). Swift's `Mutex` on Linux hands a contended lock over inside the
/// kernel (a priority-inheritance futex), where ThreadSanitizer cannot follow it, so every
/// contended access was reported as a race. `NSLock` is a pthread mutex, which ThreadSanitizer
/// understands: the pool stays checkable.
///
/// The test API server has the same few lines as its own `Locked`: it depends on nothing of
/// SealKit's on purpose, so it stays an independent reading of the Kubernetes API.
final class ContendedLock<Value: Sendable>: @unchecked Sendable {
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
