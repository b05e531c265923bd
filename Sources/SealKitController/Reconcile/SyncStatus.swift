public import Foundation
public import SealKit

/// The `status` a SealedSecret reports (DESIGN 1.3): a `Synced` condition Argo CD reads, a
/// kstatus-style `Ready` condition, and `observedGeneration`. Times change only when the
/// condition does, so an unchanged outcome does not cause a write.
public struct SyncStatus: Sendable, Equatable {
    public struct Condition: Sendable, Equatable {
        public var type: String
        public var status: Bool
        public var message: String
        public var reason: String?
        public var lastUpdateTime: String?
        public var lastTransitionTime: String?
    }

    public var observedGeneration: Int?
    public var conditions: [Condition]

    public init(observedGeneration: Int? = nil, conditions: [Condition] = []) {
        self.observedGeneration = observedGeneration
        self.conditions = conditions
    }

    /// Reads `status` from a SealedSecret object tree (missing → empty).
    public init(node: Node?) {
        let status = node?.mapping
        observedGeneration = status?["observedGeneration"]?.scalar.flatMap { Int($0.text) }
        conditions = (status?["conditions"]?.sequence ?? []).compactMap { item in
            guard let mapping = item.mapping, let type = mapping["type"]?.scalar?.text else { return nil }
            return Condition(
                type: type,
                status: mapping["status"]?.scalar?.text == "True",
                message: mapping["message"]?.scalar?.text ?? "",
                reason: mapping["reason"]?.scalar?.text,
                lastUpdateTime: mapping["lastUpdateTime"]?.scalar?.text,
                lastTransitionTime: mapping["lastTransitionTime"]?.scalar?.text
            )
        }
    }

    /// The status after an unseal attempt; `error` nil means success.
    public func updated(generation: Int?, error: String?, now: Date = Date()) -> SyncStatus {
        let timestamp = KubeTimestamp.string(from: now)
        var next = self
        next.observedGeneration = generation
        let succeeded = error == nil
        for (type, reason) in [("Synced", succeeded ? nil : "UnsealFailed"), ("Ready", succeeded ? "Unsealed" : "UnsealFailed")] {
            let message = error ?? ""
            if let index = next.conditions.firstIndex(where: { $0.type == type }) {
                var condition = next.conditions[index]
                if condition.status != succeeded {
                    condition.lastTransitionTime = timestamp
                    condition.lastUpdateTime = timestamp
                } else if condition.message != message {
                    condition.lastUpdateTime = timestamp
                }
                condition.status = succeeded
                condition.message = message
                condition.reason = reason
                next.conditions[index] = condition
            } else {
                next.conditions.append(Condition(type: type, status: succeeded, message: message, reason: reason,
                                                 lastUpdateTime: timestamp, lastTransitionTime: timestamp))
            }
        }
        return next
    }

    public var synced: Bool? { conditions.first { $0.type == "Synced" }?.status }

    public func node() -> Node {
        var status = Mapping()
        if let observedGeneration { status["observedGeneration"] = .int(observedGeneration) }
        status["conditions"] = .sequence(conditions.map { condition in
            var mapping = Mapping()
            mapping["type"] = .string(condition.type)
            mapping["status"] = .string(condition.status ? "True" : "False")
            if let reason = condition.reason { mapping["reason"] = .string(reason) }
            if !condition.message.isEmpty { mapping["message"] = .string(condition.message) }
            if let time = condition.lastUpdateTime { mapping["lastUpdateTime"] = .string(time) }
            if let time = condition.lastTransitionTime { mapping["lastTransitionTime"] = .string(time) }
            return .mapping(mapping)
        })
        return .mapping(status)
    }
}
