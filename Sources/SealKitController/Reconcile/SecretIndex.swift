import Synchronization
public import KubeClient

/// The Secrets the controller wrote or manages, as a metadata-only watch reports them: name,
/// uid and resourceVersion — enough to know, without reading a Secret, that it is still exactly
/// the version the controller wrote (a resync of unchanged objects then reads nothing), and
/// that a SealedSecret seen for the first time has no Secret of its own yet.
///
/// Only Secrets owned by a SealedSecret or annotated `managed` are kept; any other Secret
/// under a SealedSecret's name is found when creating it fails with AlreadyExists.
public final class SecretIndex: Sendable {
    public struct Entry: Sendable, Equatable {
        public var uid: ObjectUID?
        public var resourceVersion: String?
        /// The uid of the SealedSecret that owns it as controller, if any.
        public var ownerUID: ObjectUID?
        public var managed: Bool
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var synced = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Applies a change of the Secret watch; returns the entry a deletion removed.
    @discardableResult
    public func apply(_ change: ResourceWatcher.Change) -> Entry? {
        switch change {
        case .added(let secret), .modified(let secret):
            let entry = Self.entry(for: secret)
            state.withLock { state in
                if let entry { state.entries[secret.key] = entry } else { state.entries[secret.key] = nil }
            }
            return nil
        case .deleted(let secret):
            return state.withLock { $0.entries.removeValue(forKey: secret.key) }
        case .synced:
            state.withLock { $0.synced = true }
            return nil
        }
    }

    /// The entry for `namespace/name`, or nil when there is none.
    public subscript(key: String) -> Entry? {
        state.withLock { $0.entries[key] }
    }

    /// True once the first full list has been seen: from then on, a missing entry means no
    /// Secret of the controller's own (the watch may still lag a write by a moment).
    public var isSynced: Bool { state.withLock { $0.synced } }

    static func entry(for secret: KubeObject) -> Entry? {
        let managed = secret.metadata.annotations[SecretWritePlan.managedAnnotation] == "true"
        let owner = SecretWritePlan.ownerReferences(of: secret).first { $0.controller }
        guard managed || owner != nil else { return nil }
        return Entry(uid: ObjectUID(secret.uid), resourceVersion: secret.resourceVersion, ownerUID: ObjectUID(owner?.uid), managed: managed)
    }
}
