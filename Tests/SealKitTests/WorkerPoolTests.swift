import Foundation
import SealKit
import Synchronization
import Testing

@Suite("Worker pool")
struct WorkerPoolTests {
    @Test("work runs on the pool's own threads and returns its result or its typed error")
    func runsOffTheCooperativePool() async throws {
        let pool = WorkerPool(name: "test-pool", threads: 2)
        #expect(try await pool.run { WorkerPool.currentPoolName } == "test-pool")
        #expect(WorkerPool.currentPoolName == nil)
        await #expect(throws: ManifestError.self) {
            try await pool.run { () throws(ManifestError) -> Int in throw ManifestError("no") }
        }
    }

    @Test("every thread carries the pool's name where top -H and /proc show it")
    func systemThreadNames() async throws {
        let pool = WorkerPool(name: "probe", threads: 2)
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        // Two jobs held at once run on both threads: each waits until both have started, so
        // neither thread can finish its job and take the other's (a fixed sleep could not
        // promise that on a slow, sanitized run).
        let names = (0 ..< 2).map { _ in
            Task {
                try await pool.run { () -> String in
                    let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                    started.signal()
                    release.wait()
                    return name.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                started.wait()
                started.wait()
                release.signal()
                release.signal()
                continuation.resume()
            }
        }
        var seen: Set<String> = []
        for task in names { seen.insert(try await task.value) }
        #expect(seen == ["probe-0", "probe-1"])
    }

    @Test("a full queue refuses work instead of growing")
    func boundedQueue() async throws {
        let pool = WorkerPool(name: "busy-pool", threads: 1, maximumQueued: 2)
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        // Occupy the one thread, then fill the queue.
        let blocker = Task { try await pool.run { started.signal(); release.wait() } }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { started.wait(); continuation.resume() }
        }
        let queued = (0 ..< 2).map { _ in Task { try await pool.run { 1 } } }
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: WorkerPool.Busy.self) { try await pool.run { 1 } }
        release.signal()
        try await blocker.value
        for task in queued { #expect(try await task.value == 1) }
    }
}
