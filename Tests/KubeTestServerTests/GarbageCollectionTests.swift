import KubeTestServer
import Testing

/// Cascading deletion through `ownerReferences`, as the SealedSecret → Secret relation uses it.
@Suite struct GarbageCollectionTests {
    let secrets = "/api/v1/namespaces/ns/secrets"
    let sealedSecrets = "/apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets"

    private func dependent(_ name: String, owners: [JSONValue]) -> JSONValue {
        var secret = Fixtures.secret(name)
        secret[path: ["metadata", "ownerReferences"]] = .array(owners.map(Fixtures.ownerReference))
        return secret
    }

    @Test func deletingAnOwnerDeletesDependentsTransitivelyWithWatchEvents() async throws {
        try await TestCluster.run { cluster async throws in
            let owner = try await cluster.client.post(sealedSecrets, Fixtures.sealedSecret("owner")).json
            let child = try await cluster.client.post(secrets, dependent("child", owners: [owner])).json
            _ = try await cluster.client.post(secrets, dependent("grandchild", owners: [child]))
            _ = try await cluster.client.post(secrets, Fixtures.secret("bystander"))
            var watch = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=4")

            #expect(try await cluster.client.delete("\(sealedSecrets)/owner").status == 200)
            let first = try await watch.next()
            let second = try await watch.next()
            #expect(first?.string("type") == "DELETED")
            #expect(first?.string("object", "metadata", "name") == "child")
            #expect(second?.string("type") == "DELETED")
            #expect(second?.string("object", "metadata", "name") == "grandchild")
            #expect(try await cluster.client.get("\(secrets)/bystander").status == 200)
            #expect(try await cluster.server.list(.secrets, namespace: "ns").map { $0.string("metadata", "name") } == ["bystander"])
        }
    }

    @Test func dependentWithAnotherLiveOwnerOnlyLosesTheReference() async throws {
        try await TestCluster.run { cluster async throws in
            let first = try await cluster.client.post(sealedSecrets, Fixtures.sealedSecret("first")).json
            let second = try await cluster.client.post(sealedSecrets, Fixtures.sealedSecret("second")).json
            _ = try await cluster.client.post(secrets, dependent("shared", owners: [first, second]))
            _ = try await cluster.client.delete("\(sealedSecrets)/first")
            let survivor = try await cluster.client.get("\(secrets)/shared")
            #expect(survivor.status == 200)
            let references = try survivor.json["metadata"]?["ownerReferences"]?.arrayValue ?? []
            #expect(references.map { $0.string("name") } == ["second"])
        }
    }

    @Test func orphanPropagationKeepsDependents() async throws {
        try await TestCluster.run { cluster async throws in
            let owner = try await cluster.client.post(sealedSecrets, Fixtures.sealedSecret("owner")).json
            _ = try await cluster.client.post(secrets, dependent("kept", owners: [owner]))
            let deleted = try await cluster.client.delete("\(sealedSecrets)/owner", ["propagationPolicy": "Orphan"])
            #expect(deleted.status == 200)
            let kept = try await cluster.client.get("\(secrets)/kept")
            #expect(kept.status == 200)
            #expect(try kept.json.value("metadata", "ownerReferences") == nil)
        }
    }

    @Test func dependentsWithFinalizersAreMarkedNotRemoved() async throws {
        try await TestCluster.run { cluster async throws in
            let owner = try await cluster.client.post(sealedSecrets, Fixtures.sealedSecret("owner")).json
            var held = dependent("held", owners: [owner])
            held[path: ["metadata", "finalizers"]] = ["example.com/hold"]
            _ = try await cluster.client.post(secrets, held)
            _ = try await cluster.client.delete("\(sealedSecrets)/owner")
            let marked = try await cluster.client.get("\(secrets)/held").json
            #expect(!marked.string("metadata", "deletionTimestamp").isEmpty)
        }
    }
}
