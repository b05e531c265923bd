/// How long to wait between attempts: exponential backoff with full jitter (so many clients
/// hitting one recovering server spread out), capped, and overridden by a server's `Retry-After`.
public struct RetryPolicy: Sendable {
    public var maximumAttempts: Int
    public var baseDelay: Duration
    public var maximumDelay: Duration

    public init(maximumAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(30)) {
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    public func delay(attempt: Int, retryAfter: Double? = nil) -> Duration {
        if let retryAfter, retryAfter >= 0 {
            return min(.milliseconds(Int(retryAfter * 1000)), maximumDelay)
        }
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = min(baseDelay * (1 << exponent), maximumDelay)
        let milliseconds = Int(ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000)
        return .milliseconds(Int.random(in: 0 ... max(milliseconds, 1)))
    }

    func wait(attempt: Int, retryAfter: Double?) async {
        try? await Task.sleep(for: delay(attempt: attempt, retryAfter: retryAfter))
    }
}
