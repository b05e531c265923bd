import TestSupport
import AsyncHTTPClient
import Foundation
import Hummingbird
import KubeTestServer
import NIOSSL

/// A response as the tests inspect it.
struct HTTPResult: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// The body parsed as JSON.
    var json: JSONValue {
        get throws { try JSONValue(parsing: body) }
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The values of a header, case-insensitively.
    func header(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

/// A small Kubernetes-speaking HTTP client over AsyncHTTPClient, for driving the server the
/// way client-go does: JSON bodies, bearer tokens, TLS with client certificates, watches.
final class APIClient: Sendable {
    let baseURL: URL
    let token: String?
    private let http: HTTPClient

    init(baseURL: URL, tls: TLSConfiguration? = nil, token: String? = nil) {
        self.baseURL = baseURL
        self.token = token
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        // A stalled watch fails the test instead of hanging it.
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        // Like client-go, report redirects instead of following them.
        configuration.redirectConfiguration = .disallow
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await http.shutdown()
    }

    /// Sends a request and collects the whole response.
    func send(
        _ method: String, _ path: String, body: JSONValue? = nil, contentType: String = "application/json",
        headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        let response = try await http.execute(request(method, path, body: body.map(\.serializedBytes),
                                                      contentType: contentType, headers: headers),
                                              timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return HTTPResult(status: Int(response.status.code),
                          headers: response.headers.map { ($0.name, $0.value) },
                          body: Array(body.readableBytesView))
    }

    /// Sends raw bytes, for bodies that are not JSON.
    func send(_ method: String, _ path: String, rawBody: [UInt8], contentType: String) async throws -> HTTPResult {
        let response = try await http.execute(request(method, path, body: rawBody, contentType: contentType, headers: [:]),
                                              timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return HTTPResult(status: Int(response.status.code),
                          headers: response.headers.map { ($0.name, $0.value) },
                          body: Array(body.readableBytesView))
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await send("GET", path, headers: headers)
    }

    func post(_ path: String, _ body: JSONValue) async throws -> HTTPResult {
        try await send("POST", path, body: body)
    }

    func put(_ path: String, _ body: JSONValue) async throws -> HTTPResult {
        try await send("PUT", path, body: body)
    }

    func patch(_ path: String, _ body: JSONValue, type: String = "application/merge-patch+json") async throws -> HTTPResult {
        try await send("PATCH", path, body: body, contentType: type)
    }

    func delete(_ path: String, _ body: JSONValue? = nil) async throws -> HTTPResult {
        try await send("DELETE", path, body: body)
    }

    /// Opens a watch (the path must carry `watch=1`) and returns a reader of its events.
    func watch(_ path: String, headers: [String: String] = [:]) async throws -> WatchReader {
        let response = try await http.execute(request("GET", path, body: nil, contentType: "", headers: headers),
                                              timeout: .seconds(60))
        return WatchReader(status: Int(response.status.code), iterator: response.body.makeAsyncIterator())
    }

    private func request(
        _ method: String, _ path: String, body: [UInt8]?, contentType: String, headers: [String: String]
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL.absoluteString + path)
        request.method = .init(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
            request.headers.add(name: "Content-Type", value: contentType)
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        return request
    }
}

/// Reads newline-delimited watch events from a streaming response.
struct WatchReader {
    let status: Int
    var iterator: HTTPClientResponse.Body.AsyncIterator
    private var buffer: [UInt8] = []

    init(status: Int, iterator: HTTPClientResponse.Body.AsyncIterator) {
        self.status = status
        self.iterator = iterator
    }

    /// The next event, or `nil` when the server ended the response cleanly. Throws when the
    /// connection breaks mid-stream.
    mutating func next() async throws -> JSONValue? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return try JSONValue(parsing: line)
            }
            guard let chunk = try await iterator.next() else {
                guard buffer.isEmpty else { throw WatchReaderError.truncatedEvent }
                return nil
            }
            buffer.append(contentsOf: chunk.readableBytesView)
        }
    }

    /// The next event that is not a `BOOKMARK`.
    mutating func nextEvent() async throws -> JSONValue? {
        while let event = try await next() {
            if event["type"]?.stringValue != "BOOKMARK" { return event }
        }
        return nil
    }
}

enum WatchReaderError: Error {
    case truncatedEvent
}
