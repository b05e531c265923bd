import Foundation

/// A TCP listener on 127.0.0.1 with a kernel-chosen port, serving each connection on a
/// thread of its own: what the small test servers (CONNECT proxy, HTTP stub) have in common.
enum LoopbackListener {
    /// Opens the listening socket; returns it and its port.
    static func open() throws -> (descriptor: Int32, port: Int) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { close(listener); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        return (listener, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Accepts until the socket is closed, handing each connection to `serve` on a new
    /// thread; stops when `serve` is gone (its owner was released).
    static func acceptLoop(_ listener: Int32, serve: @escaping @Sendable () -> (@Sendable (Int32) -> Void)?) {
        Thread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                guard let handler = serve() else { close(client); return }
                Thread { handler(client) }.start()
            }
        }.start()
    }
}
