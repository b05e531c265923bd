import Foundation
public import SealKit

/// A bearer token, fixed or read from a file. File tokens are re-read when the file changes
/// (the kubelet rotates projected service-account tokens, typically hourly) and on demand after
/// a 401, so a long-running controller never keeps using an expired token.
public final class TokenSource: Sendable {
    private enum Origin {
        case fixed(SecretBytes)
        case file(String)
    }

    private struct Cached {
        var token: SecretBytes
        var modified: Date?
        var readAt: Date
    }

    private let origin: Origin
    private let cache: Mutex<Cached?>
    /// Re-check the file at least this often even when its modification time looks unchanged.
    private let refreshInterval: TimeInterval = 60

    public init(token: String) {
        origin = .fixed(SecretBytes(utf8: token))
        cache = Mutex(nil)
    }

    public init(file path: String) throws(KubeError) {
        origin = .file(path)
        cache = Mutex(nil)
        _ = try current()
    }

    /// The token to send now.
    public func current() throws(KubeError) -> SecretBytes {
        switch origin {
        case .fixed(let token):
            return token
        case .file(let path):
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date
            let now = Date()
            if let cached = cache.withLock({ $0 }), cached.modified == modified, now.timeIntervalSince(cached.readAt) < refreshInterval {
                return cached.token
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError(.configuration, "cannot read the token file \(path)")
            }
            var bytes = Array(data)
            while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
            let token = SecretBytes(bytes)
            cache.withLock { $0 = Cached(token: token, modified: modified, readAt: now) }
            return token
        }
    }

    /// Forgets a cached file token (after the server rejected it).
    public func invalidate() {
        cache.withLock { $0 = nil }
    }
}

import Synchronization
