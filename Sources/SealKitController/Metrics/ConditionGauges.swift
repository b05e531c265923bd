import Synchronization

/// `sealed_secrets_controller_condition_info`, one series per SealedSecret and condition, kept
/// as a byte per value and written out at scrape time. A registry gauge per object costs over a
/// kilobyte (labels, pre-rendered line, boxes); at 10 000 objects that was a sixth of the
/// controller's memory.
final class ConditionGauges: Sendable {
    static let name = ControllerMetrics.prefix + "condition_info"

    /// The conditions Bitnami reports.
    enum Condition: String, CaseIterable {
        case synced = "Synced"
        case ready = "Ready"
    }

    private struct Series {
        var instance: String
        /// Per condition: 1 true, -1 false, 0 unknown; nil when never recorded.
        var values: [Int8?] = Array(repeating: nil, count: Condition.allCases.count)
    }

    /// `namespace/name` → series. Namespaces and names cannot contain "/".
    private let series = Mutex<[String: Series]>([:])

    /// Records a value for the object `key` (`namespace/name`).
    func record(key: String, instance: String, condition: String, status: Bool?) {
        guard let condition = Condition(rawValue: condition),
              let index = Condition.allCases.firstIndex(of: condition) else { return }
        let value: Int8 = status.map { $0 ? 1 : -1 } ?? 0
        series.withLock { series in
            var entry = series[key] ?? Series(instance: instance)
            if entry.instance != instance { entry = Series(instance: instance) }  // the label moved: old series go
            entry.values[index] = value
            series[key] = entry
        }
    }

    func forget(key: String) {
        _ = series.withLock { $0.removeValue(forKey: key) }
    }

    /// The Prometheus text lines, with their TYPE line; empty when there is no series. Written
    /// as bytes, without string interpolation: at 10 000 objects a scrape renders 10 000 lines.
    func exposition() -> [UInt8] {
        let snapshot = series.withLock { $0 }
        guard !snapshot.isEmpty else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(snapshot.count * 140)
        out.append(contentsOf: "# TYPE \(Self.name) gauge\n".utf8)
        let prefix = Array("\(Self.name){namespace=\"".utf8)
        for key in snapshot.keys.sorted() {
            let entry = snapshot[key]!
            let slash = key.firstIndex(of: "/")!
            for (index, condition) in Condition.allCases.enumerated() {
                guard let value = entry.values[index] else { continue }
                out.append(contentsOf: prefix)
                Self.appendEscaped(key[..<slash], to: &out)
                out.append(contentsOf: "\",name=\"".utf8)
                Self.appendEscaped(key[key.index(after: slash)...], to: &out)
                out.append(contentsOf: "\",condition=\"".utf8)
                out.append(contentsOf: condition.rawValue.utf8)
                out.append(contentsOf: "\",ss_app_kubernetes_io_instance=\"".utf8)
                Self.appendEscaped(entry.instance[...], to: &out)
                out.append(contentsOf: value == 1 ? "\"} 1\n".utf8 : value == -1 ? "\"} -1\n".utf8 : "\"} 0\n".utf8)
            }
        }
        return out
    }

    /// Appends a label value as the exposition format escapes it (backslash, quote, newline).
    static func appendEscaped(_ value: Substring, to out: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            default: out.append(byte)
            }
        }
    }
}
