import Synchronization
public import KubeClient

/// The controller's current view of a collection, as fed by a ``ResourceWatcher``. Workers
/// read objects from here instead of asking the API server on every reconcile.
public final class ObjectCache: Sendable {
    private let objects = Mutex<[String: KubeObject]>([:])

    public init() {}

    public func apply(_ change: ResourceWatcher.Change) {
        switch change {
        case .added(let object), .modified(let object): objects.withLock { $0[object.key] = object }
        case .deleted(let object): _ = objects.withLock { $0.removeValue(forKey: object.key) }
        case .synced: break
        }
    }

    public subscript(key: String) -> KubeObject? {
        objects.withLock { $0[key] }
    }

    public var keys: [String] { objects.withLock { Array($0.keys) } }
    public var count: Int { objects.withLock { $0.count } }
}
