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

    /// The wait before attempt `attempt + 1`. `retryAfter` (seconds) comes from a server and is
    /// untrusted: a negative or NaN value is ignored, and anything at or beyond `maximumDelay`
    /// (infinity, `1e300`) waits `maximumDelay`, so no value can trap or stall the client.
    public func delay(attempt: Int, retryAfter: Double? = nil) -> Duration {
        if let retryAfter, retryAfter >= 0 {  // false for NaN
            let milliseconds = (retryAfter * 1000).rounded(.up)
            guard milliseconds < Self.milliseconds(maximumDelay) else { return maximumDelay }
            return .milliseconds(Int64(milliseconds))
        }
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = min(baseDelay * (1 << exponent), maximumDelay)
        let milliseconds = Int(ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000)
        return .milliseconds(Int.random(in: 0 ... max(milliseconds, 1)))
    }

    /// `Retry-After` in seconds, as RFC 9110 writes it for a delay: digits only. Anything else
    /// (`1e300`, `inf`, `nan`, `-1`, `1.5`, an HTTP date) is nil, so the backoff applies; a
    /// digit string too large for any delay comes back large (or infinite) and is capped by
    /// ``delay(attempt:retryAfter:)``.
    public static func retryAfterSeconds(_ header: String) -> Double? {
        let isBlank = { (character: Character) in character == " " || character == "\t" }
        let text = header.drop(while: isBlank).reversed().drop(while: isBlank).reversed()
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isWholeNumber }) else { return nil }
        return Double(String(text)) ?? .infinity
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    func wait(attempt: Int, retryAfter: Double?) async {
        try? await Task.sleep(for: delay(attempt: attempt, retryAfter: retryAfter))
    }
}
