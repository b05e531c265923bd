import KubeTestServer
import Testing

/// The discovery documents client-go and kubectl read.
@Suite struct DiscoveryTests {
    @Test func versionAndGroups() async throws {
        try await TestCluster.run { cluster async throws in
            let version = try await cluster.client.get("/version").json
            #expect(version.string("major") == "1")
            #expect(version.string("gitVersion").hasPrefix("v1."))

            let core = try await cluster.client.get("/api").json
            #expect(core.string("kind") == "APIVersions")
            #expect(core["versions"] == ["v1"])

            let groups = try await cluster.client.get("/apis").json
            #expect(groups.string("kind") == "APIGroupList")
            let names = (groups["groups"]?.arrayValue ?? []).map { $0.string("name") }
            #expect(names == ["apiextensions.k8s.io", "bitnami.com", "coordination.k8s.io", "rbac.authorization.k8s.io"])
            let bitnami = try await cluster.client.get("/apis/bitnami.com").json
            #expect(bitnami.string("preferredVersion", "groupVersion") == "bitnami.com/v1alpha1")
        }
    }

    @Test func resourceListsIncludeSubresources() async throws {
        try await TestCluster.run { cluster async throws in
            let bitnami = try await cluster.client.get(
                "/apis/bitnami.com/v1alpha1",
                headers: ["Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"])
            #expect(bitnami.header("Content-Type") == ["application/json"], "no aggregated discovery")
            let resources = try bitnami.json["resources"]?.arrayValue ?? []
            #expect(resources.map { $0.string("name") } == ["sealedsecrets", "sealedsecrets/status"])
            #expect(resources.first?.string("kind") == "SealedSecret")
            #expect(resources.first?["namespaced"] == true)
            #expect(resources.last?["verbs"] == ["get", "patch", "update"])

            let core = try await cluster.client.get("/api/v1").json
            let coreNames = (core["resources"]?.arrayValue ?? []).map { $0.string("name") }
            for expected in ["secrets", "services", "services/status", "services/proxy", "events", "namespaces",
                             "namespaces/status", "configmaps"] {
                #expect(coreNames.contains(expected), "\(expected)")
            }
            let leases = try await cluster.client.get("/apis/coordination.k8s.io/v1").json
            #expect(leases["resources"]?.arrayValue?.first?.string("kind") == "Lease")
        }
    }

    @Test func openAPIAdvertisesServerSideFieldValidation() async throws {
        try await TestCluster.run { cluster async throws in
            let root = try await cluster.client.get("/openapi/v3").json
            let url = root.string("paths", "apis/bitnami.com/v1alpha1", "serverRelativeURL")
            #expect(url == "/openapi/v3/apis/bitnami.com/v1alpha1")
            let document = try await cluster.client.get(url).json
            let patch = try #require(document.value("paths", "/apis/bitnami.com/v1alpha1/namespaces/{namespace}/sealedsecrets/{name}", "patch"))
            #expect(patch.string("x-kubernetes-group-version-kind", "kind") == "SealedSecret")
            #expect(patch["parameters"]?.arrayValue?.contains { $0.string("name") == "fieldValidation" } == true)
            #expect(try await cluster.client.get("/openapi/v2").status == 404)
        }
    }
}
