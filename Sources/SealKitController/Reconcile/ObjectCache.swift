import Synchronization
public import KubeClient

/// The controller's current view of the SealedSecrets it watches, as fed by a metadata-only
/// ``ResourceWatcher``: one ``SealedSecretRef`` per object, a few hundred bytes each, so the
/// view of 10 000 objects stays small. Workers decide from here whether an object needs work.
public final class ObjectCache: Sendable {
    private let objects = Mutex<[String: SealedSecretRef]>([:])

    public init() {}

    /// Applies a change; returns the object's key when the change may change its Secret (see
    /// ``SealedSecretRef/needsReconcile(becoming:)``; additions and deletions always do) — the
    /// very string the cache holds, for the work queue to share.
    @discardableResult
    public func apply(_ change: ResourceWatcher.Change) -> String? {
        switch change {
        case .added(let object), .modified(let object):
            var ref = SealedSecretRef(object)
            return objects.withLock { objects in
                let previous = objects[ref.key]
                if let previous { ref.key = previous.key }
                objects[ref.key] = ref
                return previous.map { $0.needsReconcile(becoming: ref) } ?? true ? ref.key : nil
            }
        case .deleted(let object):
            return objects.withLock { $0.removeValue(forKey: object.key) }?.key ?? object.key
        case .synced:
            return nil
        }
    }

    public subscript(key: String) -> SealedSecretRef? {
        objects.withLock { $0[key] }
    }

    public var keys: [String] { objects.withLock { Array($0.keys) } }
    public var count: Int { objects.withLock { $0.count } }
}
