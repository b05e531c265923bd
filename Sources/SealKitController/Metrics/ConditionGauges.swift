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

    /// The Prometheus text lines, with their TYPE line; empty when there is no series.
    func exposition() -> [UInt8] {
        let snapshot = series.withLock { $0 }
        guard !snapshot.isEmpty else { return [] }
        var text = "# TYPE \(Self.name) gauge\n"
        text.reserveCapacity(snapshot.count * 130)
        for key in snapshot.keys.sorted() {
            let entry = snapshot[key]!
            let slash = key.firstIndex(of: "/")!
            let namespace = Self.escaped(String(key[..<slash]))
            let name = Self.escaped(String(key[key.index(after: slash)...]))
            for (index, condition) in Condition.allCases.enumerated() {
                guard let value = entry.values[index] else { continue }
                text += "\(Self.name){namespace=\"\(namespace)\",name=\"\(name)\",condition=\"\(condition.rawValue)\","
                    + "ss_app_kubernetes_io_instance=\"\(Self.escaped(entry.instance))\"} \(value)\n"
            }
        }
        return Array(text.utf8)
    }

    /// A label value as the exposition format escapes it.
    static func escaped(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
