import Foundation
import KubeTestServer
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Stopping the server while clients keep connecting. Cancelling it used to drop connections
/// that were accepted but not yet handed to a handler, and NIO's async channel answers such a
/// drop with a failed precondition: the whole test process crashed, now and then, in CI.
@Suite("Server shutdown")
struct ShutdownTests {
    /// Opens and closes TCP connections to `port` as fast as it can until `stop` is set.
    static func hammer(port: Int, until stop: Atomic) -> Thread {
        let thread = Thread {
            while !stop.isSet {
                let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard socket >= 0 else { continue }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                _ = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                close(socket)
            }
        }
        thread.start()
        return thread
    }

    final class Atomic: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }

    @Test("stopping while connections keep arriving: the server ends cleanly, every time")
    func stopUnderConnections() async throws {
        for _ in 0 ..< 40 {
            let server = KubeAPIServer(configuration: KubeAPIServer.Configuration())
            let url = try await server.start()
            let stop = Atomic()
            let threads = (0 ..< 3).map { _ in Self.hammer(port: url.port!, until: stop) }
            try await Task.sleep(for: .milliseconds(20))
            await server.stop()
            stop.set()
            _ = threads
        }
    }
}
