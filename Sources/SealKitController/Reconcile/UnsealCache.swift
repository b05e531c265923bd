import Synchronization
public import KubeClient
import SealKit

/// Remembers, per SealedSecret, what was last unsealed, with which keys, and what the resulting
/// Secret looked like (as a digest, never the plaintext). A re-list or resync of an unchanged
/// object whose Secret is still as written then costs no RSA operation at all; and the keys
/// that opened an object are tried first the next time it changes.
public final class UnsealCache: Sendable {
    struct Entry: Equatable {
        var uid: String
        var generation: Int
        /// Everything that decides the result: the spec and the top-level annotations (the
        /// scope), which can change without the generation moving.
        var inputDigest: [UInt8]
        /// Fingerprint → state of each key that opened a value.
        var keys: [String: KeyState]
        var secretDigest: [UInt8]
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// True when `sealedSecret` (same uid, generation, spec and annotations) was unsealed into
    /// a Secret identical to `existing`, and every key that opened it is still in `ring` in the
    /// same state (a key turned compromised or removed must be noticed on objects already synced).
    func isCurrent(_ sealedSecret: KubeObject, ring: KeyRing, existing: KubeObject?) -> Bool {
        guard let existing, let uid = sealedSecret.uid, let generation = sealedSecret.generation,
              let entry = entries.withLock({ $0[sealedSecret.key] })
        else { return false }
        guard entry.uid == uid, entry.generation == generation, entry.inputDigest == Self.inputDigest(sealedSecret) else { return false }
        let states = ring.states
        guard entry.keys.allSatisfy({ states[$0.key] == $0.value }) else { return false }
        return entry.secretDigest == Self.digest(existing)
    }

    func remember(_ sealedSecret: KubeObject, keys: [String: KeyState], written: KubeObject) {
        guard let uid = sealedSecret.uid, let generation = sealedSecret.generation else { return }
        let entry = Entry(uid: uid, generation: generation, inputDigest: Self.inputDigest(sealedSecret), keys: keys,
                          secretDigest: Self.digest(written))
        entries.withLock { $0[sealedSecret.key] = entry }
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

    static func inputDigest(_ sealedSecret: KubeObject) -> [UInt8] {
        let input = Node.mapping(Mapping([
            "annotations": .mapping(.sortedStrings(sealedSecret.metadata.annotations)),
            "spec": sealedSecret["spec"] ?? .null,
        ]))
        return Digest.sha256(JSONWriter.write(input, pretty: false))
    }

    /// SHA-256 over the fields the controller writes, in canonical form.
    static func digest(_ secret: KubeObject) -> [UInt8] {
        let comparable = SecretWritePlan.comparableNode(secret)
        return Digest.sha256(JSONWriter.write(comparable, pretty: false))
    }
}
