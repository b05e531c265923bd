/// Durations written as Go's `time.ParseDuration` accepts them (`720h`, `1h30m`, `15s`,
/// `250ms`), plus days (`3650d`) for certificate lifetimes: the form Bitnami's flags take, so
/// the same values work with either tool.
public enum GoDuration {
    private static let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1), ("d", 86400)]

    /// Seconds, or nil when `text` is not a duration. `0` alone is zero.
    public static func seconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            guard let unit = units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += value * unit.seconds
        }
        return total
    }
}
