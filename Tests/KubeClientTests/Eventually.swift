import Testing
import TestSupport

/// Polls `condition` until it holds; records an issue if `timeout` passes first.
func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async throws {
    let deadline = ContinuousClock.now + TestTimeouts.scaled(timeout)
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met in time")
}
