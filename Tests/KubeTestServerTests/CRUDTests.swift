import Foundation
import KubeTestServer
import Testing

/// Create, read, update and delete over HTTP, with the API server's error answers.
@Suite struct CRUDTests {
    let secrets = "/api/v1/namespaces/ns/secrets"

    @Test func createGetListDeleteRoundTrip() async throws {
        try await TestCluster.run { cluster async throws in
            let created = try await cluster.client.post(secrets, Fixtures.secret("one", labels: ["app": "a"]))
            #expect(created.status == 201)
            let object = try created.json
            #expect(object.string("metadata", "namespace") == "ns")
            #expect(!object.string("metadata", "uid").isEmpty)
            #expect(object.string("metadata", "resourceVersion") == "1")
            #expect(Timestampish.isRFC3339(object.string("metadata", "creationTimestamp")))
            #expect(object.value("metadata", "generation") == nil, "Secrets do not track generation")
            #expect(object.string("type") == "Opaque")

            let fetched = try await cluster.client.get("\(secrets)/one")
            #expect(fetched.status == 200)
            #expect(try fetched.json == object)

            let list = try await cluster.client.get(secrets).json
            #expect(list.string("kind") == "SecretList")
            #expect(list.string("metadata", "resourceVersion") == "1")
            #expect(list["items"]?.arrayValue?.count == 1)
            #expect(list["items"]?.arrayValue?.first?["kind"] == nil, "built-in list items carry no kind")

            let deleted = try await cluster.client.delete("\(secrets)/one")
            #expect(deleted.status == 200)
            let status = try deleted.json
            #expect(status.string("kind") == "Status")
            #expect(status.string("status") == "Success")
            #expect(status.string("details", "name") == "one")
            #expect(status.string("details", "kind") == "secrets")

            let missing = try await cluster.client.get("\(secrets)/one")
            #expect(missing.status == 404)
            let notFound = try missing.json
            #expect(notFound.string("kind") == "Status")
            #expect(notFound.string("reason") == "NotFound")
            #expect(notFound.string("message") == "secrets \"one\" not found")
            #expect(notFound["code"] == 404)
            #expect(notFound.string("details", "name") == "one")
            #expect(await cluster.server.resourceVersion == 2)
        }
    }

    @Test func createTwiceIsAlreadyExists() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("dup"))
            let again = try await cluster.client.post(secrets, Fixtures.secret("dup"))
            #expect(again.status == 409)
            #expect(try again.json.string("reason") == "AlreadyExists")
            #expect(try again.json.string("message") == "secrets \"dup\" already exists")
        }
    }

    @Test func staleResourceVersionIsConflictAndEmptyIsUnconditional() async throws {
        try await TestCluster.run { cluster async throws in
            let first = try await cluster.client.post(secrets, Fixtures.secret("s")).json
            var update = first
            update["data"] = ["k": "djI="]
            let updated = try await cluster.client.put("\(secrets)/s", update)
            #expect(updated.status == 200)
            #expect(try updated.json.string("metadata", "resourceVersion") == "2")

            // `update` still carries resourceVersion 1.
            let stale = try await cluster.client.put("\(secrets)/s", update)
            #expect(stale.status == 409)
            #expect(try stale.json.string("reason") == "Conflict")
            #expect(try stale.json.string("message") == "Operation cannot be fulfilled on secrets \"s\": the object has been modified; please apply your changes to the latest version and try again")

            var unconditional = update
            unconditional[path: ["metadata", "resourceVersion"]] = nil
            unconditional["data"] = ["k": "djM="]
            let forced = try await cluster.client.put("\(secrets)/s", unconditional)
            #expect(forced.status == 200)
            #expect(try forced.json.string("data", "k") == "djM=")
            #expect(try forced.json.string("metadata", "uid") == first.string("metadata", "uid"))
            #expect(try forced.json.string("metadata", "creationTimestamp") == first.string("metadata", "creationTimestamp"))
        }
    }

    @Test func noOpUpdateKeepsResourceVersion() async throws {
        try await TestCluster.run { cluster async throws in
            let first = try await cluster.client.post(secrets, Fixtures.secret("same")).json
            let again = try await cluster.client.put("\(secrets)/same", first).json
            #expect(again.string("metadata", "resourceVersion") == "1")
            #expect(await cluster.server.resourceVersion == 1)
        }
    }

    @Test func generateNameAppendsFiveCharacters() async throws {
        try await TestCluster.run { cluster async throws in
            var names = Set<String>()
            for _ in 0..<20 {
                let body: JSONValue = ["metadata": ["generateName": "sealed-secrets-key"], "data": [:]]
                let created = try await cluster.client.post(secrets, body)
                #expect(created.status == 201)
                let name = try created.json.string("metadata", "name")
                #expect(name.hasPrefix("sealed-secrets-key"))
                let suffix = name.dropFirst("sealed-secrets-key".count)
                #expect(suffix.count == 5)
                #expect(suffix.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
                names.insert(name)
            }
            #expect(names.count == 20)

            let nameless = try await cluster.client.post(secrets, ["metadata": [:]])
            #expect(nameless.status == 422)
            #expect(try nameless.json.string("message") == "Secret \"\" is invalid: metadata.name: Required value: name or generateName is required")
        }
    }

    @Test func stringDataIsFoldedIntoData() async throws {
        try await TestCluster.run { cluster async throws in
            let body: JSONValue = ["metadata": ["name": "sd"], "data": ["a": "YQ=="], "stringData": ["b": "hello", "a": "x"]]
            let created = try await cluster.client.post(secrets, body).json
            #expect(created["stringData"] == nil)
            #expect(created.string("data", "b") == Data("hello".utf8).base64EncodedString())
            #expect(created.string("data", "a") == "eA==", "stringData wins over data")
        }
    }

    @Test func immutableSecretRejectsDataChanges() async throws {
        try await TestCluster.run { cluster async throws in
            var body = Fixtures.secret("frozen")
            body["immutable"] = true
            let created = try await cluster.client.post(secrets, body).json
            var change = created
            change["data"] = ["k": "Y2hhbmdlZA=="]
            let rejected = try await cluster.client.put("\(secrets)/frozen", change)
            #expect(rejected.status == 422)
            let status = try rejected.json
            #expect(status.string("reason") == "Invalid")
            #expect(status.string("message") == "Secret \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set")
            #expect(status.value("details", "causes")?.arrayValue?.first?["field"] == "data")

            var relabel = created
            relabel[path: ["metadata", "labels"]] = ["ok": "yes"]
            #expect(try await cluster.client.put("\(secrets)/frozen", relabel).status == 200, "metadata may change")
        }
    }

    @Test func validationErrorsAreInvalid() async throws {
        try await TestCluster.run { cluster async throws in
            let badName = try await cluster.client.post(secrets, Fixtures.secret("Bad_Name"))
            #expect(badName.status == 422)
            #expect(try badName.json.string("message").hasPrefix("Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"))

            let badKey = try await cluster.client.post(secrets, Fixtures.secret("k", data: ["bad key": "YQ=="]))
            #expect(badKey.status == 422)
            #expect(try badKey.json.string("message").contains("data[bad key]: Invalid value: \"bad key\": a valid config key"))

            let badBase64 = try await cluster.client.post(secrets, Fixtures.secret("b", data: ["k": "not base64!"]))
            #expect(badBase64.status == 400)
            #expect(try badBase64.json.string("message") == "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3")

            let tls = try await cluster.client.post(secrets, ["metadata": ["name": "t"], "type": "kubernetes.io/tls", "data": ["tls.crt": "YQ=="]])
            #expect(tls.status == 422)
            #expect(try tls.json.string("message") == "Secret \"t\" is invalid: data[tls.key]: Required value")

            let wrongKind = try await cluster.client.post(secrets, ["kind": "ConfigMap", "metadata": ["name": "c"]])
            #expect(wrongKind.status == 400)
        }
    }

    @Test func secretTypeCannotChange() async throws {
        try await TestCluster.run { cluster async throws in
            let created = try await cluster.client.post(secrets, Fixtures.secret("typed")).json
            var retyped = created
            retyped["type"] = "kubernetes.io/basic-auth"
            let rejected = try await cluster.client.put("\(secrets)/typed", retyped)
            #expect(rejected.status == 422)
            #expect(try rejected.json.string("message") == "Secret \"typed\" is invalid: type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable")
        }
    }

    @Test func unknownFieldsArePrunedWarnedOrRejected() async throws {
        try await TestCluster.run { cluster async throws in
            var body = Fixtures.secret("extra")
            body["bogus"] = 1
            let warned = try await cluster.client.post(secrets, body)
            #expect(warned.status == 201)
            #expect(try warned.json["bogus"] == nil)
            #expect(warned.header("Warning") == ["299 - \"unknown field \\\"bogus\\\"\""])

            body[path: ["metadata", "name"]] = "strict"
            let strict = try await cluster.client.send("POST", "\(secrets)?fieldValidation=Strict", body: body)
            #expect(strict.status == 400)
            #expect(try strict.json.string("message") == "Secret in version \"v1\" cannot be handled as a Secret: strict decoding error: unknown field \"bogus\"")
        }
    }

    @Test func dryRunStoresNothing() async throws {
        try await TestCluster.run { cluster async throws in
            let dry = try await cluster.client.send("POST", "\(secrets)?dryRun=All", body: Fixtures.secret("dry"))
            #expect(dry.status == 201)
            #expect(try await cluster.client.get("\(secrets)/dry").status == 404)
            #expect(await cluster.server.resourceVersion == 0)
        }
    }

    @Test func finalizersDelayDeletionUntilRemoved() async throws {
        try await TestCluster.run { cluster async throws in
            var body = Fixtures.secret("held")
            body[path: ["metadata", "finalizers"]] = ["example.com/hold"]
            _ = try await cluster.client.post(secrets, body)
            let pending = try await cluster.client.delete("\(secrets)/held")
            #expect(pending.status == 200)
            let marked = try pending.json
            #expect(!marked.string("metadata", "deletionTimestamp").isEmpty)
            #expect(try await cluster.client.get("\(secrets)/held").status == 200)

            let released = try await cluster.client.patch("\(secrets)/held", ["metadata": ["finalizers": .null]])
            #expect(released.status == 200)
            #expect(try await cluster.client.get("\(secrets)/held").status == 404)
        }
    }

    @Test func deletePreconditionsAreChecked() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(secrets, Fixtures.secret("pre"))
            let wrong = try await cluster.client.delete("\(secrets)/pre", ["kind": "DeleteOptions", "apiVersion": "v1", "preconditions": ["uid": "nope"]])
            #expect(wrong.status == 409)
            #expect(try wrong.json.string("message").contains("Precondition failed: UID in precondition: nope"))
            #expect(try await cluster.client.delete("\(secrets)/pre", ["propagationPolicy": "Background"]).status == 200)
        }
    }

    @Test func namespacedResourcesNeedANamespaceToCreate() async throws {
        try await TestCluster.run { cluster async throws in
            #expect(try await cluster.client.post("/api/v1/secrets", Fixtures.secret("x")).status == 405)
            #expect(try await cluster.client.get("/api/v1/nothings").status == 404)
            #expect(try await cluster.client.get("/api/v1/nothings").json.string("message") == "the server could not find the requested resource")
        }
    }

    @Test func clusterScopedNamespacesAndTheirCascade() async throws {
        try await TestCluster.run { cluster async throws in
            let namespace = try await cluster.client.post("/api/v1/namespaces", ["metadata": ["name": "team"]])
            #expect(namespace.status == 201)
            let created = try namespace.json
            #expect(created.string("status", "phase") == "Active")
            #expect(created.string("metadata", "labels", "kubernetes.io/metadata.name") == "team")
            #expect(created.value("metadata", "namespace") == nil)
            _ = try await cluster.client.post("/api/v1/namespaces/team/secrets", Fixtures.secret("inside"))
            _ = try await cluster.client.post("/api/v1/namespaces/other/secrets", Fixtures.secret("outside"))
            #expect(try await cluster.client.delete("/api/v1/namespaces/team").status == 200)
            #expect(try await cluster.client.get("/api/v1/namespaces/team/secrets/inside").status == 404)
            #expect(try await cluster.client.get("/api/v1/namespaces/other/secrets/outside").status == 200)
        }
    }

    @Test func directStoreAccessMatchesHTTP() async throws {
        try await TestCluster.run { cluster async throws in
            let stored = try await cluster.server.create(Fixtures.secret("direct"), in: .secrets, namespace: "ns")
            #expect(try await cluster.client.get("\(secrets)/direct").json == stored)
            #expect(try await cluster.server.get(.secrets, namespace: "ns", name: "direct") == stored)
            #expect(try await cluster.server.list(.secrets, namespace: "ns").count == 1)
            try await cluster.server.delete(.secrets, namespace: "ns", name: "direct")
            #expect(try await cluster.server.get(.secrets, namespace: "ns", name: "direct") == nil)
            await #expect(throws: KubeAPIError.self) {
                try await cluster.server.create(Fixtures.secret("x"), in: .secrets)
            }
        }
    }
}

/// Loose format checks for server-set fields.
enum Timestampish {
    static func isRFC3339(_ text: String) -> Bool {
        text.count == 20 && text.hasSuffix("Z") && text.dropFirst(10).first == "T"
    }
}
