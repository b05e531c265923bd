import Foundation
import KubeTestServer
import Testing

/// LIST: selectors, pagination and server-side tables.
@Suite struct ListTests {
    let secrets = "/api/v1/namespaces/ns/secrets"

    private func names(_ list: JSONValue) -> [String] {
        (list["items"]?.arrayValue ?? []).map { $0.string("metadata", "name") }
    }

    private func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }

    @Test func labelSelectors() async throws {
        try await TestCluster.run { cluster async throws in
            for (name, labels) in [("a", ["tier": "web", "env": "prod"]), ("b", ["tier": "db", "env": "prod"]),
                                   ("c", ["tier": "web"]), ("d", [:])] {
                _ = try await cluster.client.post(secrets, Fixtures.secret(name, labels: labels))
            }
            let cases: [(String, [String])] = [
                ("tier=web", ["a", "c"]),
                ("tier==web", ["a", "c"]),
                ("tier!=web", ["b", "d"]),
                ("tier in (web,db)", ["a", "b", "c"]),
                ("tier notin (web)", ["b", "d"]),
                ("env", ["a", "b"]),
                ("!env", ["c", "d"]),
                ("tier=web,env=prod", ["a"]),
                ("tier in (web), !env", ["c"]),
            ]
            for (selector, expected) in cases {
                let list = try await cluster.client.get("\(secrets)?labelSelector=\(query(selector))").json
                #expect(names(list) == expected, "labelSelector \(selector)")
            }
            let invalid = try await cluster.client.get("\(secrets)?labelSelector=\(query("tier in web"))")
            #expect(invalid.status == 400)
        }
    }

    @Test func fieldSelectors() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("a"))
            _ = try await cluster.client.post(secrets, ["metadata": ["name": "b"], "type": "kubernetes.io/basic-auth", "data": [:]])
            _ = try await cluster.client.post("/api/v1/namespaces/other/secrets", Fixtures.secret("a"))
            #expect(names(try await cluster.client.get("\(secrets)?fieldSelector=\(query("metadata.name=a"))").json) == ["a"])
            #expect(names(try await cluster.client.get("\(secrets)?fieldSelector=\(query("metadata.name!=a"))").json) == ["b"])
            #expect(names(try await cluster.client.get("\(secrets)?fieldSelector=\(query("type==kubernetes.io/basic-auth"))").json) == ["b"])
            let everywhere = try await cluster.client.get("/api/v1/secrets?fieldSelector=\(query("metadata.namespace=other"))").json
            #expect(names(everywhere) == ["a"])
            #expect(everywhere["items"]?.arrayValue?.first?.string("metadata", "namespace") == "other")
            let unsupported = try await cluster.client.get("\(secrets)?fieldSelector=\(query("spec.foo=1"))")
            #expect(unsupported.status == 400)
            #expect(try unsupported.json.string("message") == "field label not supported: spec.foo")
        }
    }

    @Test func allNamespacesListSpansNamespaces() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post("/api/v1/namespaces/b/secrets", Fixtures.secret("x"))
            _ = try await cluster.client.post("/api/v1/namespaces/a/secrets", Fixtures.secret("y"))
            let list = try await cluster.client.get("/api/v1/secrets").json
            #expect(list["items"]?.arrayValue?.map { $0.string("metadata", "namespace") } == ["a", "b"])
        }
    }

    @Test func paginationOverFiveThousandObjects() async throws {
        try await TestCluster.run { cluster async throws in
            for index in 0..<5000 {
                try await cluster.server.create(
                    Fixtures.secret(String(format: "s-%05d", index), labels: ["parity": index % 2 == 0 ? "even" : "odd"]),
                    in: .secrets, namespace: "ns")
            }
            var collected: [String] = []
            var token: String?
            var pages = 0
            var snapshotVersion: String?
            repeat {
                let path = "\(secrets)?limit=500" + (token.map { "&continue=\(query($0))" } ?? "")
                let page = try await cluster.client.get(path).json
                pages += 1
                collected += names(page)
                snapshotVersion = snapshotVersion ?? page.string("metadata", "resourceVersion")
                #expect(page.string("metadata", "resourceVersion") == snapshotVersion)
                token = page["metadata"]?["continue"]?.stringValue
                if token != nil {
                    #expect(page["metadata"]?["remainingItemCount"] == .int(Int64(5000 - collected.count)))
                }
                if pages == 1 {
                    // Changes after the first page must not show up in later pages.
                    try await cluster.server.delete(.secrets, namespace: "ns", name: "s-04999")
                    try await cluster.server.create(Fixtures.secret("s-99999"), in: .secrets, namespace: "ns")
                }
            } while token != nil
            #expect(pages == 10)
            #expect(collected.count == 5000)
            #expect(collected == (0..<5000).map { String(format: "s-%05d", $0) })

            var odd: [String] = []
            token = nil
            repeat {
                let path = "\(secrets)?limit=1000&labelSelector=parity%3Dodd" + (token.map { "&continue=\(query($0))" } ?? "")
                let page = try await cluster.client.get(path).json
                odd += names(page)
                token = page["metadata"]?["continue"]?.stringValue
            } while token != nil
            #expect(odd.count == 2499, "s-04999 was deleted")
        }
    }

    @Test func expiredContinueTokenIsGoneWithAFreshToken() async throws {
        try await TestCluster.run(configure: { $0.compactionWindow = 3 }) { cluster async throws in
            for index in 0..<6 {
                try await cluster.server.create(Fixtures.secret("s\(index)"), in: .secrets, namespace: "ns")
            }
            let first = try await cluster.client.get("\(secrets)?limit=2").json
            let token = try #require(first["metadata"]?["continue"]?.stringValue)
            for index in 6..<10 {
                try await cluster.server.create(Fixtures.secret("s\(index)"), in: .secrets, namespace: "ns")
            }
            let expired = try await cluster.client.get("\(secrets)?limit=2&continue=\(query(token))")
            #expect(expired.status == 410)
            let status = try expired.json
            #expect(status.string("reason") == "Expired")
            #expect(status.string("message").hasPrefix("The provided continue parameter is too old"))
            let fresh = try #require(status["metadata"]?["continue"]?.stringValue)
            let resumed = try await cluster.client.get("\(secrets)?limit=100&continue=\(query(fresh))").json
            #expect(names(resumed) == ["s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9"])

            #expect(try await cluster.client.get("\(secrets)?continue=garbage").status == 400)
        }
    }

    @Test func listAtAnExactResourceVersion() async throws {
        try await TestCluster.run(configure: { $0.compactionWindow = 4 }) { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("a"))
            _ = try await cluster.client.post(secrets, Fixtures.secret("b"))
            _ = try await cluster.client.patch("\(secrets)/a", ["metadata": ["labels": ["v": "2"]]])
            _ = try await cluster.client.delete("\(secrets)/b")
            let exact = try await cluster.client.get("\(secrets)?resourceVersion=2&resourceVersionMatch=Exact").json
            #expect(names(exact) == ["a", "b"])
            #expect(exact.string("metadata", "resourceVersion") == "2")
            #expect(exact["items"]?.arrayValue?.first?.value("metadata", "labels") == [:])
            let latest = try await cluster.client.get("\(secrets)?resourceVersion=0").json
            #expect(names(latest) == ["a"])
            #expect(try await cluster.client.get("\(secrets)?resourceVersion=9").status == 504)
            for name in ["c", "d", "e"] {
                _ = try await cluster.client.post(secrets, Fixtures.secret(name))
            }
            let compacted = try await cluster.client.get("\(secrets)?resourceVersion=2&resourceVersionMatch=Exact")
            #expect(compacted.status == 410)
        }
    }

    @Test func tableOutputForKubectlGet() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("t", data: ["a": "YQ==", "b": "Yg=="]))
            let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
            let table = try await cluster.client.get("\(secrets)?includeObject=Object", headers: ["Accept": accept]).json
            #expect(table.string("kind") == "Table")
            #expect(table.string("apiVersion") == "meta.k8s.io/v1")
            let columns = (table["columnDefinitions"]?.arrayValue ?? []).map { $0.string("name") }
            #expect(columns == ["Name", "Type", "Data", "Age"])
            let row = try #require(table["rows"]?.arrayValue?.first)
            #expect(row["cells"]?.arrayValue?.prefix(3) == ["t", "Opaque", 2])
            #expect(row["object"]?.string("kind") == "Secret")

            let metadataOnly = try await cluster.client.get("\(secrets)/t", headers: ["Accept": accept]).json
            #expect(metadataOnly["rows"]?.arrayValue?.first?["object"]?.string("kind") == "PartialObjectMetadata")

            let notAcceptable = try await cluster.client.get(secrets, headers: ["Accept": "application/vnd.kubernetes.protobuf"])
            #expect(notAcceptable.status == 406)
        }
    }

    @Test func deleteCollectionBySelector() async throws {
        try await TestCluster.run { cluster async throws in
            for name in ["a", "b", "c"] {
                _ = try await cluster.client.post(secrets, Fixtures.secret(name, labels: ["drop": name == "b" ? "no" : "yes"]))
            }
            let deleted = try await cluster.client.send("DELETE", "\(secrets)?labelSelector=drop%3Dyes")
            #expect(deleted.status == 200)
            #expect(names(try deleted.json) == ["a", "c"])
            #expect(names(try await cluster.client.get(secrets).json) == ["b"])
        }
    }
}
