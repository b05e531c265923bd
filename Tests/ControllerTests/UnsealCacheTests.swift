import KubeClient
import SealKit
import Testing
@testable import SealKitController

/// The unseal cache may skip an RSA operation only when nothing that decides the result changed.
@Suite("Unseal cache")
struct UnsealCacheTests {
    static let sealedSecret = ControllerFixtures.object("""
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata: {name: db, namespace: prod, uid: ss-uid, generation: 3}
        spec: {encryptedData: {password: AgBy}}
        """)
    static let written = ControllerFixtures.object("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: prod}
        data: {password: aHVudGVyMg==}
        """)
    static let key = ControllerFixtures.key
    static let ring = KeyRing([ControllerFixtures.otherKey, key])

    private func remembered() -> UnsealCache {
        let cache = UnsealCache()
        cache.remember(Self.sealedSecret, keys: [Self.key.fingerprint: .active], written: Self.written)
        return cache
    }

    @Test("unchanged object, keys and Secret: current") func current() {
        #expect(remembered().isCurrent(Self.sealedSecret, ring: Self.ring, existing: Self.written))
    }

    @Test("a scope annotation changes the label without moving the generation: not current") func scopeAnnotation() {
        var widened = Self.sealedSecret
        var metadata = widened.metadata
        metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"] = "true"
        widened.metadata = metadata
        #expect(!remembered().isCurrent(widened, ring: Self.ring, existing: Self.written))
    }

    @Test("the key that opened it turned retired or compromised, or is gone: not current") func keyStates() {
        for state in [KeyState.retired, .compromised] {
            var changed = Self.key
            changed.state = state
            #expect(!remembered().isCurrent(Self.sealedSecret, ring: KeyRing([ControllerFixtures.otherKey, changed]), existing: Self.written))
        }
        #expect(!remembered().isCurrent(Self.sealedSecret, ring: KeyRing([ControllerFixtures.otherKey]), existing: Self.written))
        #expect(remembered().staleKeys(among: ["prod/db", "prod/never"], ring: KeyRing([ControllerFixtures.otherKey])) == ["prod/db", "prod/never"])
    }

    @Test("another key changing does not matter; the hint survives a new generation") func unrelatedKeys() {
        var other = ControllerFixtures.otherKey
        other.state = .compromised
        let cache = remembered()
        #expect(cache.isCurrent(Self.sealedSecret, ring: KeyRing([other, Self.key]), existing: Self.written))
        #expect(cache.staleKeys(among: ["prod/db"], ring: KeyRing([other, Self.key])).isEmpty)
        #expect(cache.keyHint(for: "prod/db") == [Self.key.fingerprint])
    }

    @Test("a tampered Secret is not current") func tampered() {
        let tampered = ControllerFixtures.object("""
            apiVersion: v1
            kind: Secret
            metadata: {name: db, namespace: prod}
            data: {password: dGFtcGVyZWQ=}
            """)
        #expect(!remembered().isCurrent(Self.sealedSecret, ring: Self.ring, existing: tampered))
    }
}
