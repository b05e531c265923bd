public import Foundation

/// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or their lowercase forms) with the meaning Go's
/// `net/http` gives them (golang.org/x/net/http/httpproxy), which is what kubectl and kubeseal
/// obey: the uppercase variable wins; a proxy without a scheme is `http://`; requests to
/// `localhost` and loopback addresses never use a proxy; `NO_PROXY` is a comma-separated list of
/// `*`, IP addresses, CIDR ranges, and domains (`example.com` matches it and its subdomains,
/// `.example.com` and `*.example.com` only subdomains), each optionally with `:port`.
public struct ProxyEnvironment: Sendable, Equatable {
    public var httpsProxy: String?
    public var httpProxy: String?
    public var noProxy: String?

    public init(httpsProxy: String? = nil, httpProxy: String? = nil, noProxy: String? = nil) {
        self.httpsProxy = httpsProxy
        self.httpProxy = httpProxy
        self.noProxy = noProxy
    }

    public init(environment: [String: String]) {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        }
        self.init(httpsProxy: value("HTTPS_PROXY", "https_proxy"), httpProxy: value("HTTP_PROXY", "http_proxy"),
                  noProxy: value("NO_PROXY", "no_proxy"))
    }

    /// The proxy for a request to `url`, or nil to connect directly.
    func proxy(for url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), let rawHost = url.host else { return nil }
        let configured = scheme == "https" ? httpsProxy : (scheme == "http" ? httpProxy : nil)
        guard let configured, !configured.isEmpty else { return nil }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        let port = url.port.map(String.init) ?? (scheme == "https" ? "443" : "80")
        return NoProxyRules(noProxy ?? "").bypasses(host: host, port: port) ? nil : configured
    }
}

/// The parsed `NO_PROXY` list.
struct NoProxyRules {
    private enum Rule {
        case all
        case network(IPNetwork)
        case address(IPNetwork, port: String)
        /// `suffix` starts with a dot; `matchesItself` when the entry had no leading dot.
        case domain(suffix: String, matchesItself: Bool, port: String)
    }

    private var rules: [Rule] = []

    init(_ list: String) {
        for raw in list.split(separator: ",") {
            let entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if entry == "*" {
                rules = [.all]
                return
            }
            if entry.contains("/"), let network = IPNetwork(cidr: entry) {
                rules.append(.network(network))
                continue
            }
            var host = entry
            var port = ""
            if let (h, p) = Self.splitHostPort(entry) {
                if h.isEmpty { continue }
                host = h
                port = p
            }
            if let address = IPNetwork(address: host) {
                rules.append(.address(address, port: port))
                continue
            }
            if host.hasPrefix("*.") { host.removeFirst() }
            let matchesItself = !host.hasPrefix(".")
            rules.append(.domain(suffix: matchesItself ? "." + host : host, matchesItself: matchesItself, port: port))
        }
    }

    /// Whether a request to `host:port` goes direct.
    func bypasses(host: String, port: String) -> Bool {
        if host == "localhost" { return true }
        let address = IPNetwork(address: host)
        if let address, address.isLoopback { return true }
        for rule in rules {
            switch rule {
            case .all:
                return true
            case .network(let network):
                if let address, network.contains(address) { return true }
            case .address(let network, let rulePort):
                if let address, network.contains(address), rulePort.isEmpty || rulePort == port { return true }
            case .domain(let suffix, let matchesItself, let rulePort):
                if host.hasSuffix(suffix) || (matchesItself && host == suffix.dropFirst()) {
                    if rulePort.isEmpty || rulePort == port { return true }
                }
            }
        }
        return false
    }

    /// `host:port` or `[v6]:port`, as Go's `net.SplitHostPort`; nil without a port.
    static func splitHostPort(_ text: String) -> (String, String)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), rest.count > 1 else { return nil }
            return (String(text[text.index(after: text.startIndex) ..< close]), String(rest.dropFirst()))
        }
        let colons = text.filter { $0 == ":" }.count
        guard colons == 1, let colon = text.firstIndex(of: ":") else { return nil }
        let port = String(text[text.index(after: colon)...])
        guard !port.isEmpty else { return nil }
        return (String(text[..<colon]), port)
    }
}
