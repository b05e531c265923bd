import Hummingbird

/// Thrown out of a watch response body to close the connection without finishing the chunked
/// response: what a client sees when a connection drops mid-stream.
struct WatchConnectionDropped: Error {}

/// Streams one open watch as newline-delimited JSON events, one chunk per event.
///
/// Bookmarks are requested from the store on a timer so they queue behind delivered events;
/// `timeoutSeconds` ends the stream cleanly; a `.drop` signal ends it abruptly.
struct WatchStream: Sendable {
    let store: ObjectStore
    let id: Int
    let stream: AsyncStream<WatchSignal>
    /// Bookmark period when the client sent `allowWatchBookmarks=true`.
    let bookmarkInterval: Duration?
    let timeout: Duration?
    let encoder: WatchEventEncoder

    func write(to writer: inout any ResponseBodyWriter) async throws {
        let store = self.store
        let id = self.id
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let interval = bookmarkInterval {
                group.addTask {
                    while true {
                        do { try await Task.sleep(for: interval) } catch { return }
                        await store.sendBookmark(to: id)
                    }
                }
            }
            if let timeout {
                group.addTask {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    await store.closeWatch(id)
                }
            }
            do {
                var encoder = self.encoder
                for await signal in stream {
                    if case .drop = signal {
                        throw WatchConnectionDropped()
                    }
                    try await writer.write(ByteBuffer(bytes: encoder.line(for: signal)))
                }
            } catch {
                group.cancelAll()
                await store.closeWatch(id)
                throw error
            }
            group.cancelAll()
        }
        await store.closeWatch(id)
        try await writer.finish(nil)
    }
}

/// Turns watch signals into the JSON lines of the watch protocol, in the negotiated format.
struct WatchEventEncoder: Sendable {
    let definition: ResourceDefinition
    let format: ResponseFormat
    let tableRenderer: TableRenderer?
    private var sentColumns = false

    init(definition: ResourceDefinition, format: ResponseFormat, tableRenderer: TableRenderer?) {
        self.definition = definition
        self.format = format
        self.tableRenderer = tableRenderer
    }

    /// `{"type":...,"object":...}` followed by a newline.
    mutating func line(for signal: WatchSignal) -> [UInt8] {
        let event: JSONValue
        switch signal {
        case .event(let type, let object):
            event = ["type": .string(type.rawValue), "object": render(object)]
        case .bookmark(let version, let initialEventsEnd):
            var metadata: JSONValue = ["resourceVersion": .string(String(version))]
            if initialEventsEnd {
                metadata["annotations"] = ["k8s.io/initial-events-end": "true"]
            }
            var object: JSONValue = ["kind": .string(definition.kind), "apiVersion": .string(definition.apiVersion),
                                     "metadata": metadata]
            if case .partialObjectMetadata(let version, _) = format {
                object = PartialObjectMetadata.of(object, version: version)
            }
            event = ["type": "BOOKMARK", "object": object]
        case .error(let error):
            event = ["type": "ERROR", "object": error.status]
        case .drop:
            return []
        }
        var bytes = JSONWriter.bytes(event)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    private mutating func render(_ object: JSONValue) -> JSONValue {
        switch format {
        case .object:
            return object
        case .partialObjectMetadata(let version, _):
            return PartialObjectMetadata.of(object, version: version)
        case .table:
            // Column definitions go with the first event only, as for the real server's watches.
            let table = tableRenderer!.table(
                [object], metadata: ["resourceVersion": .string(object.resourceVersion)], includeColumns: !sentColumns)
            sentColumns = true
            return table
        }
    }
}
