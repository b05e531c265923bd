import KubeTestServer
import Testing

/// `metadata.generation` and the status subresource, the two things the SealedSecret
/// controller's status updates depend on.
@Suite struct GenerationAndStatusTests {
    let sealedSecrets = "/apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets"

    @Test func generationStartsAtOneAndBumpsOnlyOnSpecChanges() async throws {
        try await TestCluster.run { cluster async throws in
            let created = try await cluster.client.post(sealedSecrets, Fixtures.sealedSecret("g")).json
            #expect(created["metadata"]?["generation"] == 1)

            var relabeled = created
            relabeled[path: ["metadata", "labels"]] = ["team": "a"]
            let afterLabel = try await cluster.client.put("\(sealedSecrets)/g", relabeled).json
            #expect(afterLabel["metadata"]?["generation"] == 1, "metadata changes keep the generation")
            #expect(afterLabel.string("metadata", "resourceVersion") != created.string("metadata", "resourceVersion"))

            var respec = afterLabel
            respec[path: ["spec", "encryptedData", "password"]] = "AgB="
            let afterSpec = try await cluster.client.put("\(sealedSecrets)/g", respec).json
            #expect(afterSpec["metadata"]?["generation"] == 2)

            let patched = try await cluster.client.patch("\(sealedSecrets)/g", ["spec": ["encryptedData": ["other": "AgC="]]]).json
            #expect(patched["metadata"]?["generation"] == 3)
        }
    }

    @Test func mainResourceIgnoresStatusAndStatusSubresourceIgnoresEverythingElse() async throws {
        try await TestCluster.run { cluster async throws in
            var body = Fixtures.sealedSecret("s")
            body["status"] = ["conditions": [["type": "Synced", "status": "True"]]]
            let created = try await cluster.client.post(sealedSecrets, body).json
            #expect(created["status"] == nil, "status is not settable through the main resource")

            var withStatus = created
            withStatus["status"] = ["observedGeneration": 1, "conditions": [["type": "Synced", "status": "True", "message": ""]]]
            withStatus[path: ["spec", "encryptedData", "password"]] = "AgZ="
            withStatus[path: ["metadata", "labels"]] = ["ignored": "yes"]
            let statusUpdate = try await cluster.client.put("\(sealedSecrets)/s/status", withStatus)
            #expect(statusUpdate.status == 200)
            let afterStatus = try statusUpdate.json
            #expect(afterStatus["status"]?["observedGeneration"] == 1)
            #expect(afterStatus.string("spec", "encryptedData", "password") == "AgA=", "spec is ignored on /status")
            #expect(afterStatus.value("metadata", "labels") == nil, "metadata is ignored on /status")
            #expect(afterStatus["metadata"]?["generation"] == 1, "status updates keep the generation")

            var mainUpdate = afterStatus
            mainUpdate["status"] = ["observedGeneration": 99]
            mainUpdate[path: ["spec", "encryptedData", "password"]] = "AgY="
            let afterMain = try await cluster.client.put("\(sealedSecrets)/s", mainUpdate).json
            #expect(afterMain["status"]?["observedGeneration"] == 1, "status is ignored on the main resource")
            #expect(afterMain["metadata"]?["generation"] == 2)

            let statusPatch = try await cluster.client.patch(
                "\(sealedSecrets)/s/status", ["status": ["observedGeneration": 2], "spec": ["encryptedData": .null]]).json
            #expect(statusPatch["status"]?["observedGeneration"] == 2)
            #expect(statusPatch.string("spec", "encryptedData", "password") == "AgY=")

            let fetched = try await cluster.client.get("\(sealedSecrets)/s/status")
            #expect(fetched.status == 200)
            #expect(try fetched.json["status"]?["observedGeneration"] == 2)
        }
    }

    @Test func resourcesWithoutStatusSubresourceHaveNoStatusEndpoint() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post("/api/v1/namespaces/ns/secrets", Fixtures.secret("x"))
            #expect(try await cluster.client.get("/api/v1/namespaces/ns/secrets/x/status").status == 404)
        }
    }

    @Test func customResourceDeleteReturnsTheObject() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(sealedSecrets, Fixtures.sealedSecret("d"))
            let deleted = try await cluster.client.delete("\(sealedSecrets)/d").json
            #expect(deleted.string("kind") == "SealedSecret")
            #expect(deleted.string("metadata", "name") == "d")
        }
    }

    @Test func builtInKindsWithASpecDoNotTrackGeneration() async throws {
        try await TestCluster.run { cluster async throws in
            let path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases"
            let lease: JSONValue = ["metadata": ["name": "sealed-secrets-controller"],
                                    "spec": ["holderIdentity": "a", "leaseDurationSeconds": 15]]
            let created = try await cluster.client.post(path, lease).json
            #expect(created.value("metadata", "generation") == nil)
            let renewed = try await cluster.client.patch("\(path)/sealed-secrets-controller", ["spec": ["holderIdentity": "b"]]).json
            #expect(renewed.value("metadata", "generation") == nil)
            #expect(renewed.string("spec", "holderIdentity") == "b")
            #expect(renewed["spec"]?["leaseDurationSeconds"] == 15)
        }
    }
}
