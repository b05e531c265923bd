import KubeClient
import SealKit
import Testing
@testable import SealKitController

/// DESIGN 1.4: create; replace when owned or `managed`; merge when `patch`; refuse otherwise;
/// immutable Secrets are replaced whole.
@Suite("Secret write rules")
struct SecretWritePlanTests {
    static let desired = ControllerFixtures.secret("""
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          labels: {app: db}
          annotations: {team: a}
          ownerReferences: [{apiVersion: bitnami.com/v1alpha1, kind: SealedSecret, name: db, uid: owner-uid, controller: true}]
        type: Opaque
        data: {password: bmV3}
        """)

    private func existing(annotations: String = "{}", owner: String? = nil, immutable: Bool = false) -> KubeObject {
        let owners = owner.map { "ownerReferences: [{apiVersion: bitnami.com/v1alpha1, kind: SealedSecret, name: db, uid: \($0), controller: true}]" } ?? ""
        return ControllerFixtures.object("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              namespace: prod
              resourceVersion: "7"
              labels: {old: label}
              annotations: \(annotations)
              \(owners)
            type: Opaque
            \(immutable ? "immutable: true" : "")
            data: {password: b2xk, extra: ZXh0cmE=}
            """)
    }

    @Test("no Secret: create it") func create() {
        guard case .create(let object) = SecretWritePlan.plan(desired: Self.desired, existing: nil, ownerUID: "owner-uid") else {
            Issue.record("expected create"); return
        }
        #expect(object["data"]?.mapping?["password"]?.scalar?.text == "bmV3")
    }

    @Test("owned: replaced whole, resourceVersion kept for a conditional write") func owned() {
        guard case .update(let object) = SecretWritePlan.plan(desired: Self.desired, existing: existing(owner: "owner-uid"), ownerUID: "owner-uid") else {
            Issue.record("expected update"); return
        }
        #expect(object.resourceVersion == "7")
        #expect(object["data"]?.mapping?.keys == ["password"])
        #expect(object.metadata.labels == ["app": "db"])
    }

    @Test("managed: taken over") func managed() {
        let plan = SecretWritePlan.plan(desired: Self.desired, existing: existing(annotations: "{sealedsecrets.bitnami.com/managed: \"true\"}"),
                                        ownerUID: "owner-uid")
        guard case .update(let object) = plan else { Issue.record("expected update"); return }
        #expect(object["data"]?.mapping?.keys == ["password"])
        #expect(SecretWritePlan.ownerReferences(of: object).map(\.uid) == ["owner-uid"])
    }

    @Test("patch: merged, the rest kept") func patch() {
        let plan = SecretWritePlan.plan(desired: Self.desired, existing: existing(annotations: "{sealedsecrets.bitnami.com/patch: \"true\"}"),
                                        ownerUID: "owner-uid")
        guard case .update(let object) = plan else { Issue.record("expected update"); return }
        #expect(object["data"]?.mapping?["password"]?.scalar?.text == "bmV3")
        #expect(object["data"]?.mapping?["extra"]?.scalar?.text == "ZXh0cmE=")
        #expect(object.metadata.labels == ["old": "label", "app": "db"])
        #expect(object.metadata.annotations["team"] == "a")
        #expect(SecretWritePlan.ownerReferences(of: object).isEmpty, "patch alone does not take ownership")
    }

    @Test("unmanaged or owned by another: refused") func refused() {
        for existing in [existing(), existing(owner: "someone-else")] {
            guard case .refuse(let reason) = SecretWritePlan.plan(desired: Self.desired, existing: existing, ownerUID: "owner-uid") else {
                Issue.record("expected refuse"); continue
            }
            #expect(reason.contains("is not managed by SealedSecret"))
        }
    }

    @Test("already as desired: unchanged") func unchanged() {
        guard case .update(let object) = SecretWritePlan.plan(desired: Self.desired, existing: existing(owner: "owner-uid"), ownerUID: "owner-uid") else {
            Issue.record("expected update"); return
        }
        guard case .unchanged = SecretWritePlan.plan(desired: Self.desired, existing: object, ownerUID: "owner-uid") else {
            Issue.record("expected unchanged"); return
        }
    }

    @Test("immutable and different: deleted and created again") func immutable() {
        guard case .recreate(let old, let fresh) = SecretWritePlan.plan(desired: Self.desired, existing: existing(owner: "owner-uid", immutable: true),
                                                                         ownerUID: "owner-uid") else {
            Issue.record("expected recreate"); return
        }
        #expect(old.name == "db")
        #expect(fresh.resourceVersion == nil)
        #expect(fresh["data"]?.mapping?["password"]?.scalar?.text == "bmV3")
    }

    @Test("immutable, only labels and annotations differ: updated in place (the API allows it)") func immutableMetadata() {
        let frozen = ControllerFixtures.object("""
            apiVersion: v1
            kind: Secret
            metadata:
              name: db
              namespace: prod
              uid: secret-uid
              resourceVersion: "7"
              labels: {old: label}
              ownerReferences: [{apiVersion: bitnami.com/v1alpha1, kind: SealedSecret, name: db, uid: owner-uid, controller: true}]
            type: Opaque
            immutable: true
            data: {password: bmV3}
            """)
        var desired = Self.desired
        desired.immutable = true
        guard case .update(let object) = SecretWritePlan.plan(desired: desired, existing: frozen, ownerUID: "owner-uid") else {
            Issue.record("expected update"); return
        }
        #expect(object.uid == "secret-uid")
        #expect(object.resourceVersion == "7")
        #expect(object.metadata.labels == ["app": "db"])
        #expect(object.metadata.annotations == ["team": "a"])
    }

    @Test("immutable with patch: the replacement keeps the keys only the cluster had") func immutablePatch() {
        let existing = existing(annotations: "{sealedsecrets.bitnami.com/patch: \"true\"}", immutable: true)
        guard case .recreate(_, let fresh) = SecretWritePlan.plan(desired: Self.desired, existing: existing, ownerUID: "owner-uid") else {
            Issue.record("expected recreate"); return
        }
        #expect(fresh["data"]?.mapping?["password"]?.scalar?.text == "bmV3")
        #expect(fresh["data"]?.mapping?["extra"]?.scalar?.text == "ZXh0cmE=")
        #expect(fresh.metadata.labels == ["old": "label", "app": "db"])
    }
}
