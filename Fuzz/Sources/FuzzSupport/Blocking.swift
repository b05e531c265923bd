import Dispatch

/// Runs async work to completion from libFuzzer's synchronous callback.
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}

/// Carries a result across the semaphore; written once before `signal`, read after `wait`.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
