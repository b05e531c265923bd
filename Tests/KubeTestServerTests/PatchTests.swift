import KubeTestServer
import Testing

/// PATCH over HTTP in the three patch formats, applied to the stored object.
@Suite struct PatchTests {
    let secrets = "/api/v1/namespaces/ns/secrets"

    @Test func mergePatchMergesObjectsAndDeletesNulls() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("m", labels: ["a": "1", "b": "2"]))
            let patched = try await cluster.client.patch(
                "\(secrets)/m", ["metadata": ["labels": ["a": .null, "c": "3"]], "data": ["n": "bg=="]]).json
            #expect(patched["metadata"]?["labels"] == ["b": "2", "c": "3"])
            #expect(patched["data"] == ["k": "dg==", "n": "bg=="])
            #expect(patched.string("metadata", "resourceVersion") == "2")
        }
    }

    @Test func mergePatchWithStaleResourceVersionConflicts() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("m"))
            _ = try await cluster.client.patch("\(secrets)/m", ["data": ["a": "YQ=="]])
            let stale = try await cluster.client.patch("\(secrets)/m", ["metadata": ["resourceVersion": "1"], "data": ["b": "Yg=="]])
            #expect(stale.status == 409)
        }
    }

    @Test func jsonPatchOperations() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("j", labels: ["x": "1"]))
            let operations: JSONValue = [
                ["op": "test", "path": "/metadata/labels/x", "value": "1"],
                ["op": "add", "path": "/metadata/labels/y", "value": "2"],
                ["op": "replace", "path": "/data/k", "value": "cg=="],
                ["op": "remove", "path": "/metadata/labels/x"],
                ["op": "add", "path": "/metadata/finalizers", "value": ["a/b"]],
                ["op": "add", "path": "/metadata/finalizers/-", "value": "c/d"],
            ]
            let patched = try await cluster.client.patch("\(secrets)/j", operations, type: "application/json-patch+json")
            #expect(patched.status == 200)
            let object = try patched.json
            #expect(object["metadata"]?["labels"] == ["y": "2"])
            #expect(object["data"]?["k"] == "cg==")
            #expect(object["metadata"]?["finalizers"] == ["a/b", "c/d"])

            let failedTest = try await cluster.client.patch(
                "\(secrets)/j", [["op": "test", "path": "/data/k", "value": "nope"]], type: "application/json-patch+json")
            #expect(failedTest.status == 422)
            let removeMissing = try await cluster.client.patch(
                "\(secrets)/j", [["op": "remove", "path": "/nope"]], type: "application/json-patch+json")
            #expect(removeMissing.status == 422)
            let malformed = try await cluster.client.patch(
                "\(secrets)/j", [["op": "frobnicate", "path": "/data"]], type: "application/json-patch+json")
            #expect(malformed.status == 400)
        }
    }

    @Test func strategicMergePatchMergesListsByKey() async throws {
        try await TestCluster.run { cluster async throws in
            let services = "/api/v1/namespaces/ns/services"
            let service: JSONValue = ["metadata": ["name": "web"], "spec": ["ports": [
                ["name": "http", "port": 80, "targetPort": 8080],
                ["name": "metrics", "port": 9090],
            ]]]
            let created = try await cluster.client.post(services, service).json
            #expect(created.string("spec", "type") == "ClusterIP")
            #expect(created.string("spec", "clusterIP").hasPrefix("10.96."))
            #expect(created["spec"]?["ports"]?.arrayValue?[1]["targetPort"] == 9090, "targetPort defaults to port")
            #expect(created["spec"]?["ports"]?.arrayValue?[1]["protocol"] == "TCP")

            let patch: JSONValue = ["spec": [
                "$setElementOrder/ports": [["port": 80], ["port": 9090]],
                "ports": [["port": 80, "targetPort": 8081], ["port": 9090, "$patch": "delete"]],
            ]]
            let patched = try await cluster.client.patch("\(services)/web", patch, type: "application/strategic-merge-patch+json")
            #expect(patched.status == 200)
            let ports = try patched.json["spec"]?["ports"]?.arrayValue ?? []
            #expect(ports.count == 1)
            #expect(ports.first?["name"] == "http")
            #expect(ports.first?["targetPort"] == 8081)

            let finalizers = try await cluster.client.patch(
                "\(services)/web", ["metadata": ["finalizers": ["a/one"]]], type: "application/strategic-merge-patch+json")
            #expect(finalizers.status == 200)
            let more = try await cluster.client.patch(
                "\(services)/web", ["metadata": ["finalizers": ["a/two"]]], type: "application/strategic-merge-patch+json").json
            #expect(more["metadata"]?["finalizers"] == ["a/one", "a/two"], "finalizers merge as a set")
        }
    }

    @Test func customResourcesRefuseStrategicMergePatch() async throws {
        try await TestCluster.run { cluster async throws in
            let path = "/apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets"
            _ = try await cluster.client.post(path, Fixtures.sealedSecret("cr"))
            let refused = try await cluster.client.patch("\(path)/cr", ["spec": [:]], type: "application/strategic-merge-patch+json")
            #expect(refused.status == 415)
            #expect(try refused.json.string("reason") == "UnsupportedMediaType")
        }
    }

    @Test func patchOfMissingObjectIsNotFound() async throws {
        try await TestCluster.run { cluster async throws in
            #expect(try await cluster.client.patch("\(secrets)/missing", ["data": [:]]).status == 404)
            #expect(try await cluster.client.patch("\(secrets)/missing", ["data": [:]], type: "text/plain").status == 415)
        }
    }
}
