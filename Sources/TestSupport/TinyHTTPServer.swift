public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server on loopback for tests of clients that talk to something other than
/// the API server (an OpenID Connect issuer): one request per connection, answered by
/// `handler`, each request recorded. Blocking sockets on threads of its own.
public final class TinyHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public let method: String
        public let path: String
        /// Header names lowercased.
        public let headers: [String: String]
        public let body: String
    }

    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private let handler: @Sendable (Request) -> (status: Int, body: String)

    public init(handler: @escaping @Sendable (Request) -> (status: Int, body: String)) throws {
        self.handler = handler
        let (listener, port) = try LoopbackListener.open()
        self.listener = listener
        self.port = port
        LoopbackListener.acceptLoop(listener) { [weak self] in
            guard let self else { return nil }
            return { self.serve($0) }
        }
    }

    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            if let end = headerEnd, data.count >= end + contentLength { break }
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { return }
            data += buffer[0 ..< count]
            if headerEnd == nil, let range = Data(data).range(of: Data([13, 10, 13, 10])) {
                headerEnd = range.upperBound
                let head = String(decoding: data[0 ..< range.lowerBound], as: UTF8.self)
                for line in head.components(separatedBy: "\r\n").dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        guard let end = headerEnd else { return }
        let lines = String(decoding: data[0 ..< end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ").map(String.init) ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(method: requestLine.first ?? "", path: requestLine.count > 1 ? requestLine[1] : "",
                              headers: headers, body: String(decoding: data[end...], as: UTF8.self))
        lock.lock()
        received.append(request)
        lock.unlock()
        let (status, body) = handler(request)
        let bytes = Array(body.utf8)
        let response = Array("HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n".utf8) + bytes
        _ = response.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
