import Foundation
public import Hummingbird
public import NIOCore

/// The API's request context: Hummingbird's basics plus the TCP peer's address, which names
/// the client for rate limiting when no proxy said who the caller is.
public struct ControllerRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the API server's proxy, or a direct caller); nil in
    /// in-process tests.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Who is calling, for per-client rate limits: the first hop of `X-Forwarded-For` (the
    /// API server's service proxy appends the caller's address there, so without a header of
    /// the caller's own the first hop is the caller), else the peer's IP address (without the
    /// port, which changes per connection).
    func rateLimitClient(_ request: Request) -> String {
        if let forwarded = request.headers[.init("X-Forwarded-For")!],
           let first = forwarded.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first {
            let hop = String(first).trimmingCharacters(in: .whitespaces)
            if !hop.isEmpty { return hop }
        }
        return remoteAddress?.ipAddress ?? remoteAddress?.description ?? "unknown"
    }
}
