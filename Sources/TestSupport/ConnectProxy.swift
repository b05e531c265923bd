public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP CONNECT proxy on loopback for tests: it records each tunnel's target and
/// `Proxy-Authorization`, connects every target host to 127.0.0.1 (so tests can use names such
/// as `kube.example`), and copies bytes both ways. Plain blocking sockets on threads of its own,
/// never Swift's cooperative pool.
public final class ConnectProxy: @unchecked Sendable {
    public struct Tunnel: Sendable, Equatable {
        /// `host:port` as the client asked for it.
        public let target: String
        public let proxyAuthorization: String?
    }

    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var opened: [Tunnel] = []

    public init() throws {
        let (listener, port) = try LoopbackListener.open()
        self.listener = listener
        self.port = port
        LoopbackListener.acceptLoop(listener) { [weak self] in
            guard let self else { return nil }
            return { self.serve($0) }
        }
    }

    /// The tunnels opened so far.
    public var tunnels: [Tunnel] {
        lock.lock()
        defer { lock.unlock() }
        return opened
    }

    /// Stops accepting; open tunnels end when either side closes.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve(_ client: Int32) {
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.ends(with: [13, 10, 13, 10]) {
            guard recv(client, &byte, 1, 0) == 1, head.count < 16384 else { close(client); return }
            head.append(byte)
        }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count == 3, requestLine[0] == "CONNECT" else {
            send(client, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            close(client)
            return
        }
        let target = String(requestLine[1])
        let authorization = lines.dropFirst().first { $0.lowercased().hasPrefix("proxy-authorization:") }
            .map { String($0.dropFirst("proxy-authorization:".count)).trimmingCharacters(in: .whitespaces) }
        lock.lock()
        opened.append(Tunnel(target: target, proxyAuthorization: authorization))
        lock.unlock()
        guard let portText = target.split(separator: ":").last, let targetPort = UInt16(portText) else { close(client); return }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = targetPort.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            send(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            close(client)
            close(upstream)
            return
        }
        send(client, "HTTP/1.1 200 Connection established\r\n\r\n")
        let finished = DispatchSemaphore(value: 0)
        Thread {
            Self.pump(from: upstream, to: client)
            finished.signal()
        }.start()
        Self.pump(from: client, to: upstream)
        finished.wait()
        close(client)
        close(upstream)
    }

    private func send(_ socket: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Copies until end of file, then half-closes the other side.
    private static func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            if count <= 0 { break }
            var offset = 0
            while offset < count {
                let written = buffer[offset ..< count].withUnsafeBytes { Glibc.send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if written <= 0 { shutdown(source, Int32(SHUT_RDWR)); return }
                offset += written
            }
        }
        shutdown(destination, Int32(SHUT_WR))
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
