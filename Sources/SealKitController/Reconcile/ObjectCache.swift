import Synchronization
public import KubeClient

/// The controller's current view of the SealedSecrets it watches, as fed by a metadata-only
/// ``ResourceWatcher``: one ``SealedSecretRef`` per object, a few hundred bytes each, so the
/// view of 10 000 objects stays small. Workers decide from here whether an object needs work.
public final class ObjectCache: Sendable {
    private let objects = Mutex<[String: SealedSecretRef]>([:])

    public init() {}

    /// Applies a change; returns whether it may change the object's Secret (see
    /// ``SealedSecretRef/needsReconcile(becoming:)``): additions and deletions always do.
    @discardableResult
    public func apply(_ change: ResourceWatcher.Change) -> Bool {
        switch change {
        case .added(let object), .modified(let object):
            let ref = SealedSecretRef(object)
            let previous = objects.withLock { $0.updateValue(ref, forKey: ref.key) }
            return previous.map { $0.needsReconcile(becoming: ref) } ?? true
        case .deleted(let object):
            _ = objects.withLock { $0.removeValue(forKey: object.key) }
            return true
        case .synced:
            return false
        }
    }

    public subscript(key: String) -> SealedSecretRef? {
        objects.withLock { $0[key] }
    }

    public var keys: [String] { objects.withLock { Array($0.keys) } }
    public var count: Int { objects.withLock { $0.count } }
}
