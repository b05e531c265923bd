import Synchronization
import KubeClient
import SealKit

/// Remembers, per SealedSecret, what was last unsealed, with which keys, and which Secret that
/// produced (its uid and resourceVersion, and a digest of its content — never the plaintext).
/// A re-list or resync of an unchanged object whose Secret is still the one written then costs
/// no RSA operation and, when the Secret watch confirms the version, no request at all; and the
/// keys that opened an object are tried first the next time it changes.
public final class UnsealCache: Sendable {
    struct Entry {
        var uid: ObjectUID
        var generation: Int
        /// Annotations and labels (the scope can change without the generation moving).
        var metadataDigest: ContentDigest
        /// Fingerprint → state of each key that opened a value.
        var keys: [String: KeyState]
        /// The Secret as written: its content, and the version that content was seen at.
        var secretDigest: ContentDigest
        var secretUID: ObjectUID?
        var secretVersion: String?
        /// Whether the object's status has been written for this result (a failed status write
        /// must be retried even though the Secret is current).
        var reported = false
    }

    /// Whether a SealedSecret's Secret is still what the last unseal wrote.
    enum Verdict: Equatable {
        /// Nothing changed and the Secret is the version written: no work.
        case current
        /// The object and keys are unchanged; the Secret must be read to compare.
        case checkSecret
        /// Unseal again, and why (for the debug log: an operator asking why an object cost
        /// RSA operations again gets an answer).
        case stale(Staleness)
    }

    enum Staleness: String {
        case neverUnsealed = "not unsealed before"
        case recreated = "a new object (another uid)"
        case edited = "a new generation"
        case relabelled = "labels or annotations changed"
        case unreported = "its status was not written yet"
        case keyStates = "a key that opened it changed state or is gone"
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// Judges `ref` against what was remembered, with `ring`'s key states and `secrets`' view of
    /// its Secret (nil when Secrets are not watched).
    func verdict(for ref: SealedSecretRef, ring: KeyRing, secrets: SecretIndex?) -> Verdict {
        guard let entry = entries.withLock({ $0[ref.key] }) else { return .stale(.neverUnsealed) }
        guard let uid = ref.uid, entry.uid == uid else { return .stale(.recreated) }
        guard let generation = ref.generation, entry.generation == generation else { return .stale(.edited) }
        guard entry.metadataDigest == ref.metadataDigest else { return .stale(.relabelled) }
        guard entry.reported else { return .stale(.unreported) }
        let states = ring.states
        guard entry.keys.allSatisfy({ states[$0.key] == $0.value }) else { return .stale(.keyStates) }
        if let secrets, let version = entry.secretVersion, let seen = secrets[ref.key],
           seen.uid == entry.secretUID, seen.resourceVersion == version {
            return .current
        }
        return .checkSecret
    }

    /// True when `existing` has exactly the content last written for `ref`; then remembers
    /// `existing`'s version, so the Secret watch can confirm it next time without a read.
    func confirm(_ ref: SealedSecretRef, existing: KubeObject?) -> Bool {
        guard let existing else { return false }
        let digest = Self.digest(existing)
        return entries.withLock { entries in
            guard var entry = entries[ref.key], entry.secretDigest == digest else { return false }
            entry.secretUID = ObjectUID(existing.uid)
            entry.secretVersion = existing.resourceVersion
            entries[ref.key] = entry
            return true
        }
    }

    /// Remembers the result of unsealing `sealedSecret`, under `key` (the cache's own string).
    func remember(_ sealedSecret: KubeObject, as key: String, keys: [String: KeyState], written: KubeObject) {
        guard let uid = ObjectUID(sealedSecret.uid), let generation = sealedSecret.generation else { return }
        let entry = Entry(uid: uid, generation: generation, metadataDigest: SealedSecretRef.metadataDigest(sealedSecret.metadata), keys: keys,
                          secretDigest: Self.digest(written), secretUID: ObjectUID(written.uid), secretVersion: written.resourceVersion)
        entries.withLock { $0[key] = entry }
    }

    /// The object's status now reflects its remembered result.
    func markReported(_ key: String) {
        entries.withLock { $0[key]?.reported = true }
    }

    /// The fingerprints of the keys that opened this object last time, whatever changed since:
    /// an edited object is almost always sealed to the same key.
    func keyHint(for key: String) -> Set<String> {
        entries.withLock { $0[key].map { Set($0.keys.keys) } ?? [] }
    }

    /// Of `keys`, those whose last result may no longer hold with `ring`: never unsealed (a
    /// new key may open them now), or opened by a key that changed state or is gone.
    func staleKeys(among keys: [String], ring: KeyRing) -> [String] {
        let states = ring.states
        return entries.withLock { entries in
            keys.filter { key in
                guard let entry = entries[key] else { return true }
                return !entry.keys.allSatisfy { states[$0.key] == $0.value }
            }
        }
    }

    func forget(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// SHA-256 over the fields the controller writes, in canonical form.
    static func digest(_ secret: KubeObject) -> ContentDigest {
        ContentDigest(of: SecretWritePlan.comparableNode(secret))
    }
}
