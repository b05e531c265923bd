import Foundation

/// The environment for a child process a test starts with a deliberately clean environment.
/// The sanitizer settings of the test run pass through, so a sanitized `sealkit` or controller
/// started by a test obeys the same `ASAN_OPTIONS`/`TSAN_OPTIONS` as the test process (without
/// them, a child's LeakSanitizer reports the Swift runtime's lifetime caches and fails the test).
public enum ChildEnvironment {
    static let passedThrough = ["ASAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "SEALKIT_TEST_SLOWDOWN"]

    /// `variables`, plus the sanitizer settings of this process.
    public static func with(_ variables: [String: String]) -> [String: String] {
        let parent = ProcessInfo.processInfo.environment
        var environment = variables
        for name in passedThrough {
            if let value = parent[name], environment[name] == nil { environment[name] = value }
        }
        return environment
    }
}
