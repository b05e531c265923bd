import Foundation
import KubeTestServer
import SealKit
import Testing
@testable import KubeClient

/// `ListOptions(metadataOnly: true)`: lists and watches of Secrets that never carry their data,
/// so a controller following every Secret in a cluster does not hold their values.
@Suite("Metadata-only list and watch", .serialized)
struct MetadataOnlyTests {
    static func expectMetadataOnly(_ object: KubeObject, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(object.kind == "PartialObjectMetadata", sourceLocation: sourceLocation)
        #expect(object["apiVersion"]?.scalar?.text == "meta.k8s.io/v1", sourceLocation: sourceLocation)
        #expect(object["data"] == nil, "no Secret data", sourceLocation: sourceLocation)
        #expect(Set(object.node.mapping?.keys ?? []) == ["apiVersion", "kind", "metadata"], sourceLocation: sourceLocation)
    }

    @Test("the Accept headers are client-go's metadata informer's") func acceptHeaders() {
        let options = ListOptions(metadataOnly: true)
        #expect(options.listAccept == "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json")
        #expect(options.watchAccept == "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json")
        #expect(ListOptions().listAccept == "application/json")
        #expect(ListOptions().watchAccept == "application/json")
    }

    @Test("a metadata-only list pages through PartialObjectMetadata") func list() async throws {
        let setup = try await ServerTests.start()
        defer { Task { await setup.stop() } }
        for index in 0 ..< 5 { _ = try await setup.client.create(.secrets, namespace: "ns", ServerTests.secret("s\(index)", value: "plain-\(index)")) }
        var pages = 0
        var keys: [String] = []
        try await setup.client.listPages(.secrets, namespace: "ns", options: ListOptions(limit: 2, metadataOnly: true)) { page, version in
            pages += 1
            #expect(!version.isEmpty)
            for object in page {
                Self.expectMetadataOnly(object)
                keys.append(object.key)
            }
        }
        #expect(pages == 3)
        #expect(keys == (0 ..< 5).map { "ns/s\($0)" })
    }

    @Test("a metadata-only watcher sees add, modify and delete, and never receives data") func watcher() async throws {
        let setup = try await ServerTests.start()
        defer { Task { await setup.stop() } }
        _ = try await setup.client.create(.secrets, namespace: "ns", ServerTests.secret("before", value: "plain-before"))

        let watcher = ResourceWatcher(client: setup.client, resource: .secrets, namespace: "ns",
                                      options: ListOptions(metadataOnly: true), watchTimeoutSeconds: 30)
        let log = ChangeLog()
        let consumer = Task {
            for await change in watcher.changes() { await log.append(change) }
        }
        defer { consumer.cancel() }
        try await eventually { await log.entries.contains("synced") }

        _ = try await setup.client.create(.secrets, namespace: "ns", ServerTests.secret("a", value: "plain-a"))
        var object = try await setup.client.get(.secrets, namespace: "ns", name: "a")
        object["data"] = .mapping(Mapping(["k": .string(Base64.encode(Array("plain-a2".utf8)))]))
        _ = try await setup.client.update(.secrets, object)
        try await setup.client.delete(.secrets, namespace: "ns", name: "a")
        // Wait past a bookmark (300 ms in ServerTests.start) so one is decoded too.
        try await Task.sleep(for: .milliseconds(700))
        try await eventually { await log.entries.contains("deleted ns/a") }

        #expect(await log.entries == ["added ns/before", "synced", "added ns/a", "modified ns/a", "deleted ns/a"])
        for object in await log.objects { Self.expectMetadataOnly(object) }
        #expect(await log.objects.count == 4)
    }

    /// A server that ignores the metadata-only `Accept` sends whole objects; the client still
    /// keeps only their metadata.
    @Test("whole objects from a server that ignored the Accept header are cut to metadata") func strippedWhenServerIgnoresAccept() throws {
        let line = Array(#"{"type":"ADDED","object":{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a","namespace":"n","resourceVersion":"5","annotations":{"keep":"me","kubectl.kubernetes.io/last-applied-configuration":"{\"data\":{\"k\":\"cGxhaW4=\"}}"},"managedFields":[{"manager":"kubectl"}]},"data":{"k":"cGxhaW4="}}}"#.utf8)
        let event = try KubeClient.decodeEvent(line, resource: .secrets, metadataOnly: true)
        let object = try #require(event.object)
        Self.expectMetadataOnly(object)
        #expect(object.key == "n/a")
        #expect(object.resourceVersion == "5")
        // kubectl's last-applied copy of a Secret holds its data: dropped, like managedFields.
        #expect(object.metadata.annotations == ["keep": "me"])
        #expect(object.metadata.fields["managedFields"] == nil)
        #expect(!String(decoding: JSONWriter.write(object.node), as: UTF8.self).contains("cGxhaW4="))
        let bookmark = try KubeClient.decodeEvent(Array(#"{"type":"BOOKMARK","object":{"kind":"Secret","metadata":{"resourceVersion":"9"}}}"#.utf8),
                                                  resource: .secrets, metadataOnly: true)
        guard case .bookmark(let version) = bookmark else { Issue.record("not a bookmark"); return }
        #expect(version == "9")
        let expired = #"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}}"#
        let error = try #require(throws: KubeError.self) { try KubeClient.decodeEvent(Array(expired.utf8), resource: .secrets, metadataOnly: true) }
        #expect(error.isGone)
    }

    actor ChangeLog {
        var entries: [String] = []
        var objects: [KubeObject] = []

        func append(_ change: ResourceWatcher.Change) {
            switch change {
            case .added(let object): entries.append("added \(object.key)"); objects.append(object)
            case .modified(let object): entries.append("modified \(object.key)"); objects.append(object)
            case .deleted(let object): entries.append("deleted \(object.key)"); objects.append(object)
            case .synced: entries.append("synced")
            }
        }
    }
}
