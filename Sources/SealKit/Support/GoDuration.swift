/// Durations written as Go's `time.ParseDuration` accepts them (`720h`, `1h30m`, `15s`,
/// `250ms`), plus days (`3650d`) for certificate lifetimes: the form Bitnami's flags take, so
/// the same values work with either tool.
public enum GoDuration {
    private static let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1), ("d", 86400)]

    /// The longest duration Go can represent (`1<<63 - 1` nanoseconds, about 292 years); Go's
    /// parser rejects anything longer, and so do we: every value we accept converts to
    /// milliseconds, seconds or a certificate lifetime without overflowing.
    public static let maximumSeconds = 9_223_372_036.854_775

    /// Why a text is not a usable duration.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not of the form `<number><unit>...`.
        case malformed
        /// More than ``GoDuration/maximumSeconds``.
        case tooLong

        public var description: String {
            switch self {
            case .malformed: "not a duration like 720h, 30m or 15s"
            case .tooLong: "longer than Go's maximum duration (about 292 years)"
            }
        }
    }

    /// Seconds, or nil when `text` is not a duration (or is too long). `0` alone is zero.
    public static func seconds(_ text: String) -> Double? {
        try? parse(text)
    }

    /// Seconds: finite, non-negative and at most ``maximumSeconds``. `0` alone is zero.
    public static func parse(_ text: String) throws(ParseError) -> Double {
        if text == "0" { return 0 }
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { throw .malformed }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { throw .malformed }
            // A digit string too long for a Double parses as infinity.
            guard value.isFinite else { throw .tooLong }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { throw .malformed }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * unit.seconds
            guard total <= maximumSeconds else { throw .tooLong }
        }
        return total
    }
}
