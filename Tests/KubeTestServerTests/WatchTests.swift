import KubeTestServer
import Testing

/// WATCH: initial state, resumption, bookmarks, selectors, expiry and timeouts.
@Suite struct WatchTests {
    let secrets = "/api/v1/namespaces/ns/secrets"

    @Test func initialStateThenLiveEvents() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("before"))
            var watch = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=0")
            #expect(watch.status == 200)
            let added = try #require(try await watch.next())
            #expect(added.string("type") == "ADDED")
            #expect(added.string("object", "metadata", "name") == "before")
            #expect(added.string("object", "kind") == "Secret")

            _ = try await cluster.client.post(secrets, Fixtures.secret("after"))
            _ = try await cluster.client.patch("\(secrets)/after", ["metadata": ["labels": ["x": "y"]]])
            _ = try await cluster.client.delete("\(secrets)/after")
            let events = [try await watch.next(), try await watch.next(), try await watch.next()]
            #expect(events.map { $0?.string("type") } == ["ADDED", "MODIFIED", "DELETED"])
            #expect(events.map { $0?.string("object", "metadata", "resourceVersion") } == ["2", "3", "4"])
            #expect(events[2]?.string("object", "metadata", "name") == "after")
        }
    }

    @Test func resumeFromResourceVersionReplaysOnlyLaterEvents() async throws {
        try await TestCluster.run { cluster async throws in
            for name in ["a", "b", "c", "d"] {
                _ = try await cluster.client.post(secrets, Fixtures.secret(name))
            }
            var watch = try await cluster.client.watch("\(secrets)?watch=true&resourceVersion=2")
            let first = try await watch.next()
            let second = try await watch.next()
            #expect(first?.string("object", "metadata", "name") == "c")
            #expect(second?.string("object", "metadata", "name") == "d")
            _ = try await cluster.client.post(secrets, Fixtures.secret("e"))
            #expect(try await watch.next()?.string("object", "metadata", "resourceVersion") == "5")

            let tooNew = try await cluster.client.get("\(secrets)?watch=1&resourceVersion=99")
            #expect(tooNew.status == 504)
        }
    }

    @Test func bookmarksCarryTheCurrentResourceVersion() async throws {
        try await TestCluster.run(configure: { $0.bookmarkInterval = .milliseconds(100) }) { cluster async throws in
            _ = try await cluster.client.post("/api/v1/namespaces/other/secrets", Fixtures.secret("elsewhere"))
            var watch = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=1&allowWatchBookmarks=true")
            _ = try await cluster.client.post("/api/v1/namespaces/other/secrets", Fixtures.secret("elsewhere-too"))
            var bookmark: JSONValue?
            while bookmark == nil, let event = try await watch.next() {
                if event.string("type") == "BOOKMARK", event.string("object", "metadata", "resourceVersion") == "2" {
                    bookmark = event
                }
            }
            let found = try #require(bookmark)
            #expect(found.string("object", "kind") == "Secret")
            #expect(found.string("object", "apiVersion") == "v1")

            var plain = try await cluster.client.watch("\(secrets)?watch=1&timeoutSeconds=1")
            #expect(try await plain.next() == nil, "no bookmarks unless asked for; the timeout ends the stream")
        }
    }

    @Test func sendInitialEventsEndsWithAnnotatedBookmark() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("a"))
            var watch = try await cluster.client.watch(
                "\(secrets)?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")
            #expect(try await watch.next()?.string("type") == "ADDED")
            let end = try await watch.next()
            #expect(end?.string("type") == "BOOKMARK")
            #expect(end?.string("object", "metadata", "annotations", "k8s.io/initial-events-end") == "true")
        }
    }

    @Test func selectorsTurnTransitionsIntoAddedAndDeleted() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("s", labels: ["role": "key"]))
            var watch = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=1&labelSelector=role%3Dkey")
            _ = try await cluster.client.patch("\(secrets)/s", ["metadata": ["labels": ["role": "other"]]])
            let left = try await watch.next()
            #expect(left?.string("type") == "DELETED")
            #expect(left?.string("object", "metadata", "labels", "role") == "key")
            #expect(left?.string("object", "metadata", "resourceVersion") == "2")
            _ = try await cluster.client.post(secrets, Fixtures.secret("unrelated"))
            _ = try await cluster.client.patch("\(secrets)/s", ["metadata": ["labels": ["role": "key"]]])
            let back = try await watch.next()
            #expect(back?.string("type") == "ADDED")
            #expect(back?.string("object", "metadata", "resourceVersion") == "4")
        }
    }

    @Test func watchOnOneObjectAndFieldSelector() async throws {
        try await TestCluster.run { cluster async throws in
            var byName = try await cluster.client.watch("\(secrets)?watch=1&fieldSelector=metadata.name%3Dtarget")
            var legacy = try await cluster.client.watch("/api/v1/watch/namespaces/ns/secrets/target")
            _ = try await cluster.client.post(secrets, Fixtures.secret("noise"))
            _ = try await cluster.client.post(secrets, Fixtures.secret("target"))
            #expect(try await byName.next()?.string("object", "metadata", "name") == "target")
            #expect(try await legacy.next()?.string("object", "metadata", "name") == "target")
        }
    }

    @Test func resourceVersionOlderThanCompactionWindowIsExpired() async throws {
        try await TestCluster.run(configure: { $0.compactionWindow = 5 }) { cluster async throws in
            for index in 0..<10 {
                _ = try await cluster.client.post(secrets, Fixtures.secret("s\(index)"))
            }
            var expired = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=1")
            #expect(expired.status == 200)
            let error = try #require(try await expired.next())
            #expect(error.string("type") == "ERROR")
            #expect(error["object"]?["code"] == 410)
            #expect(error.string("object", "reason") == "Expired")
            #expect(error.string("object", "message") == "too old resource version: 1 (5)")
            #expect(try await expired.next() == nil)

            var resumable = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=5")
            #expect(try await resumable.next()?.string("object", "metadata", "name") == "s5")
        }
    }
}
