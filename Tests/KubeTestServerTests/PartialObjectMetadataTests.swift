import KubeTestServer
import Testing

/// Metadata-only reads (`Accept: application/json;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1`),
/// what client-go's metadata informers send: objects come back as `PartialObjectMetadata` with
/// nothing but their metadata — no Secret `data`.
@Suite struct PartialObjectMetadataTests {
    let secrets = "/api/v1/namespaces/ns/secrets"
    static let listAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
    static let objectAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"

    /// Only `kind`, `apiVersion` and `metadata`, of the metadata-only kind.
    func expectMetadataOnly(_ object: JSONValue?, name: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(object?.string("kind") == "PartialObjectMetadata", sourceLocation: sourceLocation)
        #expect(object?.string("apiVersion") == "meta.k8s.io/v1", sourceLocation: sourceLocation)
        #expect(Set(object?.objectValue.map { Array($0.keys) } ?? []) == ["kind", "apiVersion", "metadata"], sourceLocation: sourceLocation)
        if let name { #expect(object?.string("metadata", "name") == name, sourceLocation: sourceLocation) }
    }

    @Test func listAnswersPartialObjectMetadataListInPages() async throws {
        try await TestCluster.run { cluster async throws in
            for name in ["a", "b", "c"] {
                _ = try await cluster.client.post(secrets, Fixtures.secret(name, labels: ["app": "x"], data: ["password": "c2VjcmV0"]))
            }
            let first = try await cluster.client.get("\(secrets)?limit=2", headers: ["Accept": Self.listAccept])
            #expect(first.status == 200)
            let page = try first.json
            #expect(page.string("kind") == "PartialObjectMetadataList")
            #expect(page.string("apiVersion") == "meta.k8s.io/v1")
            #expect(page.string("metadata", "resourceVersion") == "3")
            let token = page.string("metadata", "continue")
            #expect(!token.isEmpty)
            let items = page["items"]?.arrayValue ?? []
            #expect(items.count == 2)
            for (item, name) in zip(items, ["a", "b"]) {
                expectMetadataOnly(item, name: name)
                #expect(item.string("metadata", "labels", "app") == "x")
                #expect(item.string("metadata", "namespace") == "ns")
                #expect(!item.string("metadata", "uid").isEmpty)
            }
            let second = try await cluster.client.get("\(secrets)?limit=2&continue=\(token)", headers: ["Accept": Self.listAccept]).json
            #expect(second.string("kind") == "PartialObjectMetadataList")
            #expect(second["items"]?.arrayValue?.count == 1)
            expectMetadataOnly(second["items"]?.arrayValue?.first, name: "c")
            #expect(second.value("metadata", "continue") == nil)
            #expect(!first.text.contains("c2VjcmV0"), "no Secret data anywhere")
        }
    }

    @Test func getAnswersPartialObjectMetadata() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("a", data: ["password": "c2VjcmV0"]))
            let one = try await cluster.client.get("\(secrets)/a", headers: ["Accept": Self.objectAccept])
            #expect(one.status == 200)
            expectMetadataOnly(try one.json, name: "a")
            #expect(try one.json.string("metadata", "resourceVersion") == "1")

            // Works for any resource, custom ones included.
            _ = try await cluster.client.post("/apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets", Fixtures.sealedSecret("s"))
            let sealed = try await cluster.client.get("/apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets/s",
                                                      headers: ["Accept": Self.objectAccept]).json
            expectMetadataOnly(sealed, name: "s")
            let sealedList = try await cluster.client.get("/apis/bitnami.com/v1alpha1/sealedsecrets", headers: ["Accept": Self.listAccept]).json
            #expect(sealedList.string("kind") == "PartialObjectMetadataList")
            expectMetadataOnly(sealedList["items"]?.arrayValue?.first, name: "s")
        }
    }

    /// As the real server: the list kind for lists, the object kind for objects and watches.
    @Test func mismatchedKindIsNotAcceptable() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("a"))
            let objectAsList = try await cluster.client.get("\(secrets)/a", headers: ["Accept": Self.listAccept])
            #expect(objectAsList.status == 406)
            #expect(try objectAsList.json.string("reason") == "NotAcceptable")
            #expect(try objectAsList.json.string("message").contains("is not a list"))
            let listAsObject = try await cluster.client.get(secrets, headers: ["Accept": Self.objectAccept])
            #expect(listAsObject.status == 406)
            #expect(try listAsObject.json.string("message").contains("is a list"))
            let watchAsList = try await cluster.client.get("\(secrets)?watch=1", headers: ["Accept": Self.listAccept])
            #expect(watchAsList.status == 406)
            let otherGroup = try await cluster.client.get(secrets, headers: ["Accept": "application/json;as=PartialObjectMetadataList;g=apps;v=v1"])
            #expect(otherGroup.status == 406)
        }
    }

    @Test func watchSendsPartialObjectMetadataEventsAndBookmarks() async throws {
        try await TestCluster.run(configure: { $0.bookmarkInterval = .milliseconds(100) }) { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("before", data: ["password": "c2VjcmV0"]))
            var watch = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=0&allowWatchBookmarks=true",
                                                       headers: ["Accept": Self.objectAccept])
            #expect(watch.status == 200)
            let added = try await watch.nextEvent()
            #expect(added?.string("type") == "ADDED")
            expectMetadataOnly(added?["object"], name: "before")

            _ = try await cluster.client.post(secrets, Fixtures.secret("after", data: ["password": "c2VjcmV0"]))
            _ = try await cluster.client.patch("\(secrets)/after", ["data": ["password": "bmV3"]])
            _ = try await cluster.client.delete("\(secrets)/after")
            var events: [JSONValue] = []
            var bookmark: JSONValue?
            while events.count < 3 || bookmark == nil, let event = try await watch.next() {
                if event.string("type") == "BOOKMARK" { bookmark = event } else { events.append(event) }
            }
            #expect(events.map { $0.string("type") } == ["ADDED", "MODIFIED", "DELETED"])
            #expect(events.map { $0.string("object", "metadata", "resourceVersion") } == ["2", "3", "4"])
            for event in events { expectMetadataOnly(event["object"], name: "after") }
            let mark = try #require(bookmark)
            expectMetadataOnly(mark["object"])
            #expect(!mark.string("object", "metadata", "resourceVersion").isEmpty)
        }
    }
}
