#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Hands the heap's free pages back to the system after a burst of work. A first sync of
/// 10 000 objects frees most of what it allocated, but glibc keeps freed pages in its arenas
/// (one per thread that allocated), so resident memory would stay at the burst's peak —
/// several megabytes above what the controller holds. Go's runtime does the same by itself.
final class HeapTrimmer: Sendable {
    /// Reconciles since the last trim.
    private let work = Atomic<Int>(0)
    /// Trim once this much work has been done and the queue has gone quiet.
    let threshold: Int

    init(threshold: Int = 500) {
        self.threshold = threshold
    }

    func recordReconcile() {
        work.add(1, ordering: .relaxed)
    }

    /// Whether enough work was done since the last trim for one to be worth it: checked before
    /// asking the queue whether it is idle, so most reconciles cost no extra actor hop.
    var isDue: Bool { work.load(ordering: .relaxed) >= threshold }

    /// Trims when enough work was done since the last time; called when the queue is empty.
    @discardableResult
    func trimIfWorthIt() -> Bool {
        guard isDue else { return false }
        work.store(0, ordering: .relaxed)
        guard let trim = Self.mallocTrim else { return false }
        _ = trim(0)
        return true
    }

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not export
    /// `<malloc.h>`, and another C library (musl) has no such function.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
