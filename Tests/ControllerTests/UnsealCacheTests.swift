import Foundation
import KubeClient
import SealKit
import Testing
@testable import SealKitController

/// The unseal cache may skip an RSA operation only when nothing that decides the result changed,
/// and may skip reading the Secret only when the Secret watch shows the very version written.
@Suite("Unseal cache")
struct UnsealCacheTests {
    static let sealedSecret = ControllerFixtures.object("""
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata: {name: db, namespace: prod, uid: ss-uid, generation: 3, resourceVersion: "10"}
        spec: {encryptedData: {password: AgBy}}
        """)
    static let written = ControllerFixtures.object("""
        apiVersion: v1
        kind: Secret
        metadata: {name: db, namespace: prod, uid: secret-uid, resourceVersion: "11",
                   ownerReferences: [{apiVersion: bitnami.com/v1alpha1, kind: SealedSecret, name: db, uid: ss-uid, controller: true}]}
        data: {password: aHVudGVyMg==}
        """)
    static let key = ControllerFixtures.key
    static let ring = KeyRing([ControllerFixtures.otherKey, key])
    static var ref: SealedSecretRef { SealedSecretRef(sealedSecret) }

    private func remembered(reported: Bool = true) -> UnsealCache {
        let cache = UnsealCache()
        cache.remember(Self.sealedSecret, as: "prod/db", keys: [Self.key.fingerprint: .active], written: Self.written)
        if reported { cache.markReported("prod/db") }
        return cache
    }

    /// A Secret index that has seen `secret` (as the metadata-only watch would deliver it).
    private func index(with secret: KubeObject? = written) -> SecretIndex {
        let index = SecretIndex()
        if let secret { index.apply(.added(secret)) }
        index.apply(.synced)
        return index
    }

    @Test("unchanged object and keys, the Secret watch shows the version written: current, nothing to read") func current() {
        #expect(remembered().verdict(for: Self.ref, ring: Self.ring, secrets: index()) == .current)
    }

    @Test("a status write moves the resourceVersion but not the generation: still current") func statusWrite() {
        var updated = Self.sealedSecret
        var metadata = updated.metadata
        metadata.fields["resourceVersion"] = .string("12")
        updated.metadata = metadata
        updated["status"] = .mapping(Mapping(["observedGeneration": .string("3")]))
        #expect(remembered().verdict(for: SealedSecretRef(updated), ring: Self.ring, secrets: index()) == .current)
        #expect(!SealedSecretRef(Self.sealedSecret).needsReconcile(becoming: SealedSecretRef(updated)))
    }

    @Test("without a Secret watch, or when it shows another version, the Secret is read and compared") func checkSecret() {
        let cache = remembered()
        #expect(cache.verdict(for: Self.ref, ring: Self.ring, secrets: nil) == .checkSecret)
        var touched = Self.written
        var metadata = touched.metadata
        metadata.fields["resourceVersion"] = .string("15")
        metadata.labels["touched-by"] = "someone"
        touched.metadata = metadata
        #expect(cache.verdict(for: Self.ref, ring: Self.ring, secrets: index(with: touched)) == .checkSecret)
        #expect(cache.verdict(for: Self.ref, ring: Self.ring, secrets: index(with: nil)) == .checkSecret)
        // Same content at a new version (a no-op update): confirmed, and from then on current.
        var bumped = Self.written
        metadata = bumped.metadata
        metadata.fields["resourceVersion"] = .string("16")
        bumped.metadata = metadata
        #expect(cache.confirm(Self.ref, existing: bumped))
        #expect(cache.verdict(for: Self.ref, ring: Self.ring, secrets: index(with: bumped)) == .current)
        // Other content is not confirmed (the label is part of what the controller writes).
        #expect(!cache.confirm(Self.ref, existing: touched))
        #expect(!cache.confirm(Self.ref, existing: nil))
    }

    @Test("a scope annotation changes the label without moving the generation: stale") func scopeAnnotation() {
        var widened = Self.sealedSecret
        var metadata = widened.metadata
        metadata.annotations["sealedsecrets.bitnami.com/cluster-wide"] = "true"
        widened.metadata = metadata
        #expect(remembered().verdict(for: SealedSecretRef(widened), ring: Self.ring, secrets: index()) == .stale(.relabelled))
        #expect(Self.ref.needsReconcile(becoming: SealedSecretRef(widened)))
    }

    @Test("a new generation, another uid, or a status never written: stale") func otherChanges() {
        var edited = Self.sealedSecret
        var metadata = edited.metadata
        metadata.fields["generation"] = .string("4")
        edited.metadata = metadata
        #expect(remembered().verdict(for: SealedSecretRef(edited), ring: Self.ring, secrets: index()) == .stale(.edited))
        var recreated = Self.sealedSecret
        metadata = recreated.metadata
        metadata.fields["uid"] = .string("other-uid")
        recreated.metadata = metadata
        #expect(remembered().verdict(for: SealedSecretRef(recreated), ring: Self.ring, secrets: index()) == .stale(.recreated))
        #expect(remembered(reported: false).verdict(for: Self.ref, ring: Self.ring, secrets: index()) == .stale(.unreported))
        #expect(UnsealCache().verdict(for: Self.ref, ring: Self.ring, secrets: index()) == .stale(.neverUnsealed))
    }

    @Test("the key that opened it turned retired or compromised, or is gone: stale") func keyStates() {
        for state in [KeyState.retired, .compromised] {
            var changed = Self.key
            changed.state = state
            #expect(remembered().verdict(for: Self.ref, ring: KeyRing([ControllerFixtures.otherKey, changed]), secrets: index()) == .stale(.keyStates))
        }
        #expect(remembered().verdict(for: Self.ref, ring: KeyRing([ControllerFixtures.otherKey]), secrets: index()) == .stale(.keyStates))
        #expect(remembered().staleKeys(among: ["prod/db", "prod/never"], ring: KeyRing([ControllerFixtures.otherKey])) == ["prod/db", "prod/never"])
    }

    @Test("another key changing does not matter; the hint survives a new generation") func unrelatedKeys() {
        var other = ControllerFixtures.otherKey
        other.state = .compromised
        let cache = remembered()
        #expect(cache.verdict(for: Self.ref, ring: KeyRing([other, Self.key]), secrets: index()) == .current)
        #expect(cache.staleKeys(among: ["prod/db"], ring: KeyRing([other, Self.key])).isEmpty)
        #expect(cache.keyHint(for: "prod/db") == [Self.key.fingerprint])
    }

    @Test("a tampered Secret is not confirmed") func tampered() {
        let tampered = ControllerFixtures.object("""
            apiVersion: v1
            kind: Secret
            metadata: {name: db, namespace: prod, uid: secret-uid, resourceVersion: "20",
                       ownerReferences: [{apiVersion: bitnami.com/v1alpha1, kind: SealedSecret, name: db, uid: ss-uid, controller: true}]}
            data: {password: dGFtcGVyZWQ=}
            """)
        let cache = remembered()
        #expect(cache.verdict(for: Self.ref, ring: Self.ring, secrets: index(with: tampered)) == .checkSecret)
        #expect(!cache.confirm(Self.ref, existing: tampered))
    }

    @Test("the Secret index keeps only Secrets the controller owns or manages") func secretIndex() {
        let index = index()
        #expect(index["prod/db"]?.ownerUID == ObjectUID("ss-uid"))
        index.apply(.added(ControllerFixtures.object("""
            apiVersion: v1
            kind: Secret
            metadata: {name: foreign, namespace: prod, uid: f, resourceVersion: "3"}
            """)))
        #expect(index["prod/foreign"] == nil)
        let removed = index.apply(.deleted(Self.written))
        #expect(removed?.uid == ObjectUID("secret-uid"))
        #expect(index["prod/db"] == nil)
    }
}

@Suite("Object uids")
struct ObjectUIDTests {
    @Test("server uids are kept as 16 bytes and read back exactly; anything else stays text") func compact() {
        let server = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"
        #expect(ObjectUID(server) == .uuid(UUID(uuidString: server)!))
        #expect(ObjectUID(server)?.description == server)
        // Upper case is a different string: kept as text, so it is not equal to the lowercase one.
        let upper = server.uppercased()
        #expect(ObjectUID(upper) == .text(upper))
        #expect(ObjectUID(upper) != ObjectUID(server))
        #expect(ObjectUID("ss-uid") == .text("ss-uid"))
        #expect(ObjectUID(nil) == nil)
    }

    @Test("the direct reading agrees with Foundation's on random uuids, and refuses near misses")
    func agreesWithFoundation() {
        for _ in 0 ..< 500 {
            let uuid = UUID()
            let text = uuid.uuidString.lowercased()
            #expect(ObjectUID(text) == .uuid(uuid))
            #expect(ObjectUID.canonicalText(uuid) == text)
        }
        let server = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"
        for nearMiss in [
            "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4",     // 35 characters
            "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4bc",   // 37
            "6f1c2a9e3b4d-4e5f-8a7b-9c0d1e2f3a4b0",    // a hyphen moved
            "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4g",    // not hex
            "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3A4b",    // one upper-case digit
            "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4\u{e9}", // 36 characters, 37 bytes
            "{f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b}",
        ] {
            #expect(ObjectUID(nearMiss) == .text(nearMiss), "\(nearMiss)")
            #expect(ObjectUID(nearMiss)?.description == nearMiss)
        }
        #expect(ObjectUID(server)?.description == server)
    }
}
