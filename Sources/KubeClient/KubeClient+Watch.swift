import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SealKit

extension KubeClient {
    /// Longest single watch event accepted; an event is one object, and objects are capped at
    /// a few MiB by the API server.
    static let maximumEventSize = 16 << 20

    /// One watch request: the events after `resourceVersion` until the server ends the stream
    /// (after `timeoutSeconds`), the connection drops, or the task is cancelled.
    ///
    /// Throws `KubeError.isGone` when the version is too old (as an HTTP 410, or as the `ERROR`
    /// event the API server sends), so the caller can list again.
    public func watch(_ resource: ResourceType, namespace: String?, resourceVersion: String?, options: ListOptions = ListOptions(),
                      timeoutSeconds: Int = 300, bookmarks: Bool = true) -> AsyncThrowingStream<WatchEvent, any Error> {
        var query = options.queryItems()
        query.append(("watch", "1"))
        if let resourceVersion, !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
        if bookmarks { query.append(("allowWatchBookmarks", "true")) }
        query.append(("timeoutSeconds", String(timeoutSeconds)))
        let path = resource.collectionPath(namespace: namespace)
        let http = self.http
        let logger = self.transportLogger
        let server = connection.server.absoluteString
        let metadataOnly = options.metadataOnly
        let fullQuery = query
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    await requestLimiter?.acquire()
                    var (request, _) = try await self.makeRequest(method: .GET, path: path, query: fullQuery, body: nil, contentType: nil,
                                                                  accept: options.watchAccept)
                    // A watch is one long stream: no compression, so no decompression limit
                    // can end it after hours.
                    request.headers.remove(name: "Accept-Encoding")
                    let response = try await http.execute(request, timeout: .seconds(Int64(min(max(timeoutSeconds, 0), Int(Int32.max))) + 30), logger: logger)
                    guard response.status == .ok else {
                        let body = try await response.body.collect(upTo: Self.maximumBodySize)
                        throw Self.statusError(response.status, body: Array(buffer: body), method: .GET, path: path)
                    }
                    var splitter = LineSplitter(maximumLength: Self.maximumEventSize)
                    for try await chunk in response.body {
                        for line in try splitter.append(chunk) {
                            continuation.yield(try Self.decodeEvent(line, resource: resource, metadataOnly: metadataOnly))
                        }
                    }
                    continuation.finish()
                } catch let error as KubeError {
                    continuation.finish(throwing: error)
                } catch is CancellationError {
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: KubeError(.transport, "watch \(server)\(path): \(error)"))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// - Parameter metadataOnly: keep only the object's metadata, whatever the server sent (a
    ///   server that ignored the metadata-only `Accept` sends whole objects).
    static func decodeEvent(_ line: [UInt8], resource: ResourceType, metadataOnly: Bool = false) throws(KubeError) -> WatchEvent {
        let root: Mapping
        do {
            guard let parsed = try YAMLReader.jsonValue(line)?.mapping else {
                throw KubeError(.invalidResponse, "watch event is not an object")
            }
            root = parsed
        } catch let error as KubeError {
            throw error
        } catch {
            throw KubeError(.invalidResponse, "watch event is not JSON (\(error))")
        }
        let type = root["type"]?.scalar?.text ?? ""
        guard let objectNode = root["object"], objectNode.mapping != nil else {
            throw KubeError(.invalidResponse, "watch event \(type) has no object")
        }
        let object = metadataOnly && type != "ERROR" ? KubeObject.partialMetadata(of: objectNode) : KubeObject(objectNode)
        switch type {
        case "ADDED": return .added(object)
        case "MODIFIED": return .modified(object)
        case "DELETED": return .deleted(object)
        case "BOOKMARK": return .bookmark(resourceVersion: object.resourceVersion ?? "")
        case "ERROR":
            let status = objectNode.mapping
            let code = status?["code"]?.scalar.flatMap { Int($0.text) } ?? 500
            let reason = status?["reason"]?.scalar?.text ?? "Unknown"
            throw KubeError(.status(code: code, reason: reason), status?["message"]?.scalar?.text ?? "watch of \(resource) failed")
        default:
            throw KubeError(.invalidResponse, "unknown watch event type \"\(type)\"")
        }
    }
}

/// Splits a byte stream into newline-terminated lines without holding more than one line.
struct LineSplitter {
    let maximumLength: Int
    private var pending: [UInt8] = []

    init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    mutating func append(_ buffer: ByteBuffer) throws(KubeError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        buffer.withUnsafeReadableBytes { raw in
            var start = raw.startIndex
            for index in raw.indices where raw[index] == 0x0A {
                pending.append(contentsOf: raw[start ..< index])
                if !pending.isEmpty { lines.append(pending) }
                pending.removeAll(keepingCapacity: true)
                start = index + 1
            }
            pending.append(contentsOf: raw[start...])
        }
        guard pending.count <= maximumLength else {
            throw KubeError(.invalidResponse, "watch event larger than \(maximumLength >> 20) MiB")
        }
        return lines
    }
}
