import Foundation

/// How much longer than usual tests should wait for things to happen: `SEALKIT_TEST_SLOWDOWN`
/// (a factor, default 1), set by `scripts/sanitize.sh` because sanitized binaries run several
/// times slower. Only waits scale; what a test measures does not.
public enum TestTimeouts {
    public static let factor: Double = {
        guard let text = ProcessInfo.processInfo.environment["SEALKIT_TEST_SLOWDOWN"], let value = Double(text),
              value.isFinite, value >= 1 else { return 1 }
        return min(value, 50)
    }()

    /// `duration`, stretched by ``factor``.
    public static func scaled(_ duration: Duration) -> Duration {
        duration * factor
    }
}
