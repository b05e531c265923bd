import Testing
@testable import KubeClient

/// `Retry-After` comes from the server: no value of it may trap, stall or skip the backoff.
@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(maximumAttempts: 5, baseDelay: .milliseconds(100), maximumDelay: .seconds(30))

    @Test("hostile Retry-After values: capped or ignored, never a trap",
          arguments: [1e300, .infinity, -.infinity, -1, .nan, 9.3e15, Double(Int64.max), -0.0])
    func hostileDelays(_ seconds: Double) {
        let delay = policy.delay(attempt: 3, retryAfter: seconds)
        #expect(delay >= .zero)
        #expect(delay <= .seconds(30))
    }

    @Test("a delay beyond the cap waits the cap; a sane one is honoured") func capping() {
        #expect(policy.delay(attempt: 1, retryAfter: 1e300) == .seconds(30))
        #expect(policy.delay(attempt: 1, retryAfter: .infinity) == .seconds(30))
        #expect(policy.delay(attempt: 1, retryAfter: 2) == .seconds(2))
        #expect(policy.delay(attempt: 1, retryAfter: 0) == .zero)
    }

    @Test("Retry-After is delay-seconds: digits only", arguments: [
        ("3", 3.0 as Double?), (" 7 ", 7), ("0", 0), ("1e300", nil), ("inf", nil), ("nan", nil), ("-1", nil), ("1.5", nil),
        ("", nil), ("Wed, 21 Oct 2015 07:28:00 GMT", nil), ("٣", nil), ("+5", nil),
    ])
    func parsing(_ header: String, _ expected: Double?) {
        #expect(RetryPolicy.retryAfterSeconds(header) == expected)
    }

    @Test("a digit string too large for any delay is capped") func hugeInteger() {
        let header = String(repeating: "9", count: 400)
        let seconds = RetryPolicy.retryAfterSeconds(header)
        #expect(seconds != nil)
        #expect(policy.delay(attempt: 1, retryAfter: seconds) == .seconds(30))
        #expect(policy.delay(attempt: 1, retryAfter: RetryPolicy.retryAfterSeconds("99999999999999999999")) == .seconds(30))
    }
}
