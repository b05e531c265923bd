import KubeTestServer
import Testing

/// Runtime fault injection: each fault as a client experiences it.
@Suite struct FaultInjectionTests {
    let secrets = "/api/v1/namespaces/ns/secrets"

    @Test func failNextAnswersWithTheChosenStatus() async throws {
        try await TestCluster.run { cluster async throws in
            cluster.server.faults.failNext(1, with: .internalServerError)
            cluster.server.faults.failNext(1, with: .serviceUnavailable(retryAfterSeconds: 3))
            cluster.server.faults.failNext(1, with: .tooManyRequests(retryAfterSeconds: 2))
            #expect(cluster.server.faults.pendingFailureCount == 3)

            let internalError = try await cluster.client.get(secrets)
            #expect(internalError.status == 500)
            #expect(try internalError.json.string("reason") == "InternalError")
            let unavailable = try await cluster.client.get(secrets)
            #expect(unavailable.status == 503)
            #expect(unavailable.header("Retry-After") == ["3"])
            let throttled = try await cluster.client.get(secrets)
            #expect(throttled.status == 429)
            #expect(throttled.header("Retry-After") == ["2"])
            #expect(try throttled.json.string("reason") == "TooManyRequests")
            #expect(try throttled.json["details"]?["retryAfterSeconds"] == 2)

            #expect(try await cluster.client.get(secrets).status == 200)
            #expect(cluster.server.faults.pendingFailureCount == 0)
        }
    }

    @Test func failuresCanTargetAVerbOrAPath() async throws {
        try await TestCluster.run { cluster async throws in
            cluster.server.faults.failNext(2, with: .internalServerError, matching: .verb("create", resource: "secrets"))
            #expect(try await cluster.client.get(secrets).status == 200, "a list does not match")
            #expect(try await cluster.client.post(secrets, Fixtures.secret("a")).status == 500)
            #expect(try await cluster.client.post(secrets, Fixtures.secret("a")).status == 500)
            #expect(try await cluster.client.post(secrets, Fixtures.secret("a")).status == 201)

            cluster.server.faults.failNext(1, with: .serviceUnavailable(retryAfterSeconds: nil), matching: .path(containing: "/sealedsecrets"))
            #expect(try await cluster.client.get(secrets).status == 200)
            #expect(try await cluster.client.get("/apis/bitnami.com/v1alpha1/sealedsecrets").status == 503)
        }
    }

    @Test func delayedResponses() async throws {
        try await TestCluster.run { cluster async throws in
            cluster.server.faults.delayResponses(by: .seconds(2), matching: .verb("list"))
            let clock = ContinuousClock()
            let slow = try await clock.measure { _ = try await cluster.client.get(secrets) }
            #expect(slow >= .seconds(2))
            cluster.server.faults.reset()
            // Faster than the injected delay plus one: a loaded machine (suites run in
            // parallel) can add a few hundred milliseconds to any request.
            let fast = try await clock.measure { _ = try await cluster.client.get(secrets) }
            #expect(fast < slow)
        }
    }

    @Test func forbiddenAnswersLikeRBAC() async throws {
        try await TestCluster.run(configure: { $0.forbidden = [AccessRule(verb: "delete", resource: "secrets")] }) { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("x"))
            let denied = try await cluster.client.delete("\(secrets)/x")
            #expect(denied.status == 403)
            #expect(try denied.json.string("message") == "secrets \"x\" is forbidden: User \"test\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"ns\"")

            cluster.server.faults.forbid(AccessRule(verb: "list", resource: "sealedsecrets", group: "bitnami.com"))
            let list = try await cluster.client.get("/apis/bitnami.com/v1alpha1/sealedsecrets")
            #expect(list.status == 403)
            #expect(try list.json.string("message") == "sealedsecrets.bitnami.com is forbidden: User \"test\" cannot list resource \"sealedsecrets\" in API group \"bitnami.com\" at the cluster scope")

            cluster.server.faults.forbid(AccessRule(verb: "update", resource: "sealedsecrets/status"))
            _ = try await cluster.client.post("/apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets", Fixtures.sealedSecret("s"))
            let status = try await cluster.client.put("/apis/bitnami.com/v1alpha1/namespaces/ns/sealedsecrets/s/status", Fixtures.sealedSecret("s"))
            #expect(status.status == 403)
            #expect(try status.json.string("message").contains("cannot update resource \"sealedsecrets/status\" in API group \"bitnami.com\""))

            cluster.server.faults.allow(AccessRule(verb: "delete", resource: "secrets"))
            #expect(try await cluster.client.delete("\(secrets)/x").status == 200)
        }
    }

    @Test func droppedWatchesBreakMidStream() async throws {
        try await TestCluster.run { cluster async throws in
            var watch = try await cluster.client.watch("\(secrets)?watch=1")
            await cluster.server.faults.dropWatches(afterEvents: 2)
            var later = try await cluster.client.watch("\(secrets)?watch=1")
            for name in ["a", "b"] {
                _ = try await cluster.client.post(secrets, Fixtures.secret(name))
            }
            #expect(try await watch.next()?.string("object", "metadata", "name") == "a")
            #expect(try await watch.next()?.string("object", "metadata", "name") == "b")
            _ = try await cluster.client.post(secrets, Fixtures.secret("c"))
            var broke = false
            do {
                _ = try await watch.next()
            } catch {
                broke = true
            }
            #expect(broke, "the connection closes without the end of the chunked response")
            // A watch opened after arming is not affected.
            #expect(try await later.next()?.string("object", "metadata", "name") == "a")
            #expect(try await later.next()?.string("object", "metadata", "name") == "b")
            #expect(try await later.next()?.string("object", "metadata", "name") == "c")

            await cluster.server.faults.dropWatches(afterEvents: 0)
            var droppedNow = false
            do {
                _ = try await later.next()
            } catch {
                droppedNow = true
            }
            #expect(droppedNow)
            #expect(await cluster.server.openWatchCount == 0)
        }
    }

    @Test func expiringWatchesSendsGoneAndCompactsHistory() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("a"))
            var watch = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=1")
            _ = try await cluster.client.post(secrets, Fixtures.secret("b"))
            #expect(try await watch.next()?.string("object", "metadata", "name") == "b")
            await cluster.server.faults.expireWatches()
            let error = try #require(try await watch.next())
            #expect(error.string("type") == "ERROR")
            #expect(error["object"]?["code"] == 410)
            #expect(try await watch.next() == nil)

            var resumed = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=1")
            #expect(try await resumed.next()?.string("type") == "ERROR")
            var fromNow = try await cluster.client.watch("\(secrets)?watch=1&resourceVersion=2")
            _ = try await cluster.client.post(secrets, Fixtures.secret("c"))
            #expect(try await fromNow.next()?.string("object", "metadata", "name") == "c")
        }
    }
}
