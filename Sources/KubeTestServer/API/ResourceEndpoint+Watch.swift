import Hummingbird

/// WATCH: `?watch=1` on a collection (or one object), streamed as JSON lines.
extension ResourceEndpoint {
    func watch() async throws(KubeAPIError) -> Response {
        if case .partialObjectMetadata(_, let askedList) = format {
            // Each event's object is one object: the real server fails every event of a watch
            // that asked for the list kind; this one refuses it up front.
            try requirePartialObjectMetadataKind(list: false, asked: askedList)
        }
        let filter = try filter()
        let start = try watchStart()
        // Capped (at 68 years) so a huge value cannot overflow the sleep deadline and trap.
        let timeout = try query.integer("timeoutSeconds").map { Duration.seconds(min($0, Int(Int32.max))) }
        let bookmarks = query.flag("allowWatchBookmarks")
        let renderer: TableRenderer?
        if case .table(let version) = format {
            renderer = try TableRenderer(definition: definition, version: version, query: query)
        } else {
            renderer = nil
        }
        let encoder = WatchEventEncoder(definition: definition, format: format, tableRenderer: renderer)

        let opened: (id: Int, stream: AsyncStream<WatchSignal>)
        do {
            opened = try await store.openWatch(filter, from: start)
        } catch where error.code == 410 {
            // Like the real server: a 200 whose only event is an ERROR carrying 410 Expired.
            var encoder = encoder
            let line = encoder.line(for: .error(error))
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody { writer in
                                try await writer.write(ByteBuffer(bytes: line))
                                try await writer.finish(nil)
                            })
        }
        let watch = WatchStream(store: store, id: opened.id, stream: opened.stream,
                                bookmarkInterval: bookmarks ? bookmarkInterval : nil, timeout: timeout, encoder: encoder)
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody { writer in try await watch.write(to: &writer) })
    }

    /// Where to start, from `resourceVersion` and `sendInitialEvents`.
    private func watchStart() throws(KubeAPIError) -> WatchStart {
        let version = query["resourceVersion"] ?? ""
        let sendInitialEvents = query["sendInitialEvents"].map { $0 == "true" || $0 == "1" }
        if sendInitialEvents == true {
            guard query["resourceVersionMatch"] == "NotOlderThan", query.flag("allowWatchBookmarks") else {
                throw .invalid(kind: "ListOptions", resource: KubeResource(group: "meta.k8s.io", version: "v1", plural: "listoptions"),
                               name: "", errors: [.forbidden("sendInitialEvents",
                                                             "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan and allowWatchBookmarks to true")])
            }
            return .currentState(endBookmark: true)
        }
        if version.isEmpty || version == "0" {
            if sendInitialEvents == false {
                return .now
            }
            return .currentState(endBookmark: false)
        }
        guard let number = Int(version), number >= 0 else {
            throw .badRequest("invalid resource version: \"\(version)\"")
        }
        return .after(number)
    }
}
