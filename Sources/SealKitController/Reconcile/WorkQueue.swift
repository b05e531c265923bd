import DequeModule

/// A de-duplicating work queue with per-key retry backoff, in the manner of client-go's
/// rate-limited workqueue: a key queued many times is processed once; a key is never processed
/// by two workers at once (one added while processing is queued again afterwards); failures
/// are retried after exponentially growing, jittered delays.
public actor WorkQueue {
    /// FIFO of keys: a deque, so taking the next key costs O(1) at 10 000 queued objects.
    private var queue: Deque<String> = []
    private var queued: Set<String> = []
    private var processing: Set<String> = []
    /// Keys added while being processed, to queue again when processing is done.
    private var dirty: Set<String> = []
    private var failures: [String: Int] = [:]
    private var waiters: Deque<CheckedContinuation<String?, Never>> = []
    private var isShutDown = false
    private let backoff: RetryPolicy

    public init(baseDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(300)) {
        backoff = RetryPolicy(maximumAttempts: .max, baseDelay: baseDelay, maximumDelay: maximumDelay)
    }

    public func add(_ key: String) {
        guard !isShutDown else { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard queued.insert(key).inserted else { return }
        if waiters.isEmpty {
            queue.append(key)
        } else {
            queued.remove(key)
            processing.insert(key)
            waiters.removeFirst().resume(returning: key)
        }
    }

    /// The next key to process, or nil once the queue is shut down.
    public func next() async -> String? {
        if !queue.isEmpty {
            let key = queue.removeFirst()
            queued.remove(key)
            processing.insert(key)
            return key
        }
        if isShutDown { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks `key` processed; queues it again if it was added meanwhile.
    public func done(_ key: String) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// Queues `key` again after its backoff delay and returns how many retries it has had.
    @discardableResult
    public func retryLater(_ key: String) -> Int {
        let attempt = (failures[key] ?? 0) + 1
        failures[key] = attempt
        let delay = backoff.delay(attempt: attempt)
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.add(key)
        }
        return attempt
    }

    /// Clears the failure count of `key` (after success, or after giving up).
    public func forget(_ key: String) {
        failures[key] = nil
    }

    public func retries(of key: String) -> Int { failures[key] ?? 0 }

    public var count: Int { queue.count }

    /// Nothing queued and nothing being processed.
    public var isIdle: Bool { queue.isEmpty && processing.isEmpty }

    public func shutDown() {
        isShutDown = true
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }
}

import KubeClient
