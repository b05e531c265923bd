import AsyncHTTPClient
import Foundation
import SealKit

/// Turns the proxy a connection should use (kubeconfig `proxy-url`, else the environment) into
/// async-http-client's setting: HTTP proxies (CONNECT for https servers) and SOCKS5.
enum ProxyChoice {
    /// - Throws: `KubeError(.configuration)` for a proxy URL that is not `http://`, `socks5://`
    ///   or `socks5h://` with a host.
    static func configuration(for connection: ClusterConnection) throws(KubeError) -> HTTPClient.Configuration.Proxy? {
        let text: String
        let origin: String
        if let explicit = connection.proxyURL, !explicit.isEmpty {
            text = explicit
            origin = "proxy-url"
        } else if let fromEnvironment = connection.proxyEnvironment.proxy(for: connection.server) {
            text = fromEnvironment
            origin = connection.server.scheme == "https" ? "HTTPS_PROXY" : "HTTP_PROXY"
        } else {
            return nil
        }
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let url = URL(string: withScheme), let host = url.host, !host.isEmpty, let scheme = url.scheme?.lowercased() else {
            throw KubeError(.configuration, "\(origin) \(redacted(text)) is not a valid proxy URL")
        }
        switch scheme {
        case "http":
            var authorization: HTTPClient.Authorization?
            if let user = url.user {
                authorization = .basic(username: user.removingPercentEncoding ?? user,
                                       password: (url.password ?? "").removingPercentEncoding ?? "")
            }
            return .server(host: host, port: url.port ?? 80, authorization: authorization)
        case "socks5", "socks5h":
            return .socksServer(host: host, port: url.port ?? 1080)
        default:
            throw KubeError(.configuration, "\(origin) \(redacted(text)): scheme \(scheme) is not supported (use http:// or socks5://)")
        }
    }

    /// The proxy URL without its password, for messages.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let schemeEnd = text.range(of: "://")?.upperBound, schemeEnd < at else { return text }
        return String(text[..<schemeEnd]) + "…@" + String(text[text.index(after: at)...])
    }
}
