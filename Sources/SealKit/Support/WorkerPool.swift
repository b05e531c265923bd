import Foundation

/// A fixed set of threads for CPU-bound work (RSA, template rendering). Swift's cooperative
/// pool has one thread per core; an RSA-4096 private operation or a heavy template run on it
/// would stall everything else that shares it — lease renewal, watches, `/healthz`. Work
/// submitted here waits for one of these threads instead, and the caller's task suspends.
public final class WorkerPool: Sendable {
    /// Thrown by ``run(_:)`` when more than `maximumQueued` jobs are already waiting.
    public struct Busy: Error, CustomStringConvertible {
        public var description: String { "too much work queued; try again shortly" }
    }

    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var stopped = false

        var waiting: Int { jobs.count - head }

        mutating func pop() -> (@Sendable () -> Void)? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head > 64, head * 2 > jobs.count {
                // Compact now and then, so the array does not grow with every job ever run.
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    private let queue = ContendedLock(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let maximumQueued: Int
    public let threadCount: Int

    /// - Parameters:
    ///   - name: names the threads `name-0`, `name-1`…; keep it short: Linux cuts a thread's
    ///     name (`top -H`, `/proc/PID/task/*/comm`) to 15 bytes.
    ///   - threads: how many jobs run at once.
    ///   - maximumQueued: jobs allowed to wait; more are refused with ``Busy`` (a request
    ///     flood must not queue unbounded work).
    public init(name: String, threads: Int, maximumQueued: Int = .max) {
        threadCount = max(1, threads)
        self.maximumQueued = maximumQueued
        for index in 0 ..< threadCount {
            let thread = Thread { [self] in
                ThreadNaming.nameCurrentThread("\(name)-\(index)")
                self.serve(name: name)
            }
            thread.start()
        }
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws -> T {
        let result: Result<T, E> = try await withCheckedThrowingContinuation { continuation in
            let accepted = queue.withLock { queue -> Bool in
                guard !queue.stopped, queue.waiting < maximumQueued else { return false }
                queue.jobs.append {
                    continuation.resume(returning: Result { () throws(E) -> T in try body() })
                }
                return true
            }
            if accepted { available.signal() } else { continuation.resume(throwing: Busy()) }
        }
        return try result.get()
    }

    /// Lets the threads finish the queued jobs and exit.
    public func shutDown() {
        queue.withLock { $0.stopped = true }
        for _ in 0 ..< threadCount { available.signal() }
    }

    /// The name of the pool whose thread runs the caller, if any: lets code and tests check
    /// that CPU-bound work is where it belongs.
    public static var currentPoolName: String? {
        Thread.current.threadDictionary[poolNameKey] as? String
    }

    private static let poolNameKey = "sealkit.worker-pool"

    private func serve(name: String) {
        Thread.current.threadDictionary[Self.poolNameKey] = name
        while true {
            available.wait()
            let next = queue.withLock { queue -> (job: (@Sendable () -> Void)?, stop: Bool) in
                (queue.pop(), queue.stopped && queue.waiting == 0)
            }
            if let job = next.job { job() } else if next.stop { return }
        }
    }
}
