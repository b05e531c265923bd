import Synchronization
public import KubeClient
import SealKit

/// Remembers, per SealedSecret, which version was last unsealed with which keys and what the
/// resulting Secret looked like (as a digest, never the plaintext). A re-list or resync of an
/// unchanged object whose Secret is still as written then costs no RSA operation at all.
public final class UnsealCache: Sendable {
    struct Entry: Equatable {
        var uid: String
        var generation: Int
        var keySet: String
        var secretDigest: [UInt8]
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// True when `sealedSecret` (same uid and generation, same key set) was unsealed into a
    /// Secret identical to `existing`.
    func isCurrent(_ sealedSecret: KubeObject, keySet: String, existing: KubeObject?) -> Bool {
        guard let existing, let uid = sealedSecret.uid, let generation = sealedSecret.generation else { return false }
        let entry = entries.withLock { $0[sealedSecret.key] }
        return entry == Entry(uid: uid, generation: generation, keySet: keySet, secretDigest: Self.digest(existing))
    }

    func remember(_ sealedSecret: KubeObject, keySet: String, written: KubeObject) {
        guard let uid = sealedSecret.uid, let generation = sealedSecret.generation else { return }
        let entry = Entry(uid: uid, generation: generation, keySet: keySet, secretDigest: Self.digest(written))
        entries.withLock { $0[sealedSecret.key] = entry }
    }

    func forget(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// SHA-256 over the fields the controller writes, in canonical form.
    static func digest(_ secret: KubeObject) -> [UInt8] {
        let comparable = SecretWritePlan.comparableNode(secret)
        return Digest.sha256(JSONWriter.write(comparable, pretty: false))
    }
}
