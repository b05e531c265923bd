/// The parts of Go's `net/url` that Sprig's `urlParse` and `urlJoin` expose: `url.Parse`,
/// `URL.String`, `URL.Hostname` and `Userinfo.String`, with their escaping rules.
struct GoURL {
    var scheme: [UInt8] = []
    var opaque: [UInt8] = []
    var user: (username: [UInt8], password: [UInt8]?)? = nil
    var host: [UInt8] = []
    var path: [UInt8] = []
    var rawPath: [UInt8] = []
    var omitHost = false
    var forceQuery = false
    var rawQuery: [UInt8] = []
    var fragment: [UInt8] = []
    var rawFragment: [UInt8] = []

    /// A parse failure, worded like Go but without the offending text.
    struct ParseError: Error {
        let reason: String
    }

    enum Mode {
        case path, pathSegment, host, zone, userPassword, queryComponent, fragment
    }

    // MARK: Escaping

    static func shouldEscape(_ c: UInt8, _ mode: Mode) -> Bool {
        if (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
            return false
        }
        if mode == .host || mode == .zone {
            if Array("!$&'()*+,;=:[]<>\"".utf8).contains(c) { return false }
        }
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"):
            switch mode {
            case .path: return c == UInt8(ascii: "?")
            case .pathSegment: return c == UInt8(ascii: "/") || c == UInt8(ascii: ";") || c == UInt8(ascii: ",") || c == UInt8(ascii: "?")
            case .userPassword: return c == UInt8(ascii: "@") || c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")
            case .queryComponent: return true
            case .fragment: return false
            case .host, .zone: break
            }
        default:
            break
        }
        if mode == .fragment {
            switch c {
            case UInt8(ascii: "!"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"): return false
            default: break
            }
        }
        return true
    }

    static func escape(_ s: [UInt8], _ mode: Mode) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        for c in s {
            if shouldEscape(c, mode) {
                if c == 0x20 && mode == .queryComponent {
                    out.append(UInt8(ascii: "+"))
                } else {
                    out.append(UInt8(ascii: "%"))
                    out.append(hex[Int(c >> 4)])
                    out.append(hex[Int(c & 0xF)])
                }
            } else {
                out.append(c)
            }
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `unescape`: percent-decoding with the host and zone restrictions of RFC 3986/6874.
    static func unescape(_ s: [UInt8], _ mode: Mode) throws(ParseError) -> [UInt8] {
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < s.count, let high = hexValue(s[i + 1]), let low = hexValue(s[i + 2]) else {
                    throw ParseError(reason: "invalid URL escape")
                }
                let isPercent25 = s[i + 1] == UInt8(ascii: "2") && s[i + 2] == UInt8(ascii: "5")
                if mode == .host && high < 8 && !isPercent25 {
                    throw ParseError(reason: "invalid URL escape")
                }
                if mode == .zone {
                    let v = high << 4 | low
                    if !isPercent25 && v != 0x20 && shouldEscape(v, .host) {
                        throw ParseError(reason: "invalid URL escape")
                    }
                }
                i += 3
            } else {
                if (mode == .host || mode == .zone) && c < 0x80 && shouldEscape(c, mode) {
                    throw ParseError(reason: "invalid character in host name")
                }
                i += 1
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        i = 0
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "%"), let high = hexValue(s[i + 1]), let low = hexValue(s[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else if c == UInt8(ascii: "+") && mode == .queryComponent {
                out.append(0x20)
                i += 1
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }

    // MARK: Parsing

    /// `url.Parse`.
    static func parse(_ raw: [UInt8]) throws(ParseError) -> GoURL {
        let hash = raw.firstIndex(of: UInt8(ascii: "#"))
        let main = hash.map { Array(raw[..<$0]) } ?? raw
        var url = try parseMain(main)
        if let hash {
            let fragmentText = Array(raw[(hash + 1)...])
            if !fragmentText.isEmpty {
                url.fragment = try unescape(fragmentText, .fragment)
                url.rawFragment = escape(url.fragment, .fragment) == fragmentText ? [] : fragmentText
            }
        }
        return url
    }

    private static func parseMain(_ raw: [UInt8]) throws(ParseError) -> GoURL {
        if raw.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw ParseError(reason: "net/url: invalid control character in URL")
        }
        var url = GoURL()
        if raw == [UInt8(ascii: "*")] {
            url.path = raw
            return url
        }
        var rest: [UInt8]
        (url.scheme, rest) = try splitScheme(raw)
        url.scheme = GoStrings.toLower(url.scheme)
        if rest.last == UInt8(ascii: "?") && GoStrings.count(rest, [UInt8(ascii: "?")]) == 1 {
            url.forceQuery = true
            rest.removeLast()
        } else if let q = rest.firstIndex(of: UInt8(ascii: "?")) {
            url.rawQuery = Array(rest[(q + 1)...])
            rest = Array(rest[..<q])
        }
        if rest.first != UInt8(ascii: "/") {
            if !url.scheme.isEmpty {
                // Rootless paths are opaque.
                url.opaque = rest
                return url
            }
            let firstSegment = rest.split(separator: UInt8(ascii: "/"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            if firstSegment.contains(UInt8(ascii: ":")) {
                throw ParseError(reason: "first path segment in URL cannot contain colon")
            }
        }
        if (!url.scheme.isEmpty || !GoStrings.hasPrefix(rest, Array("///".utf8))) && GoStrings.hasPrefix(rest, Array("//".utf8)) {
            var authority = Array(rest[2...])
            rest = []
            if let slash = authority.firstIndex(of: UInt8(ascii: "/")) {
                rest = Array(authority[slash...])
                authority = Array(authority[..<slash])
            }
            (url.user, url.host) = try parseAuthority(authority)
        } else if !url.scheme.isEmpty && rest.first == UInt8(ascii: "/") {
            url.omitHost = true
        }
        url.path = try unescape(rest, .path)
        url.rawPath = escape(url.path, .path) == rest ? [] : rest
        return url
    }

    private static func splitScheme(_ raw: [UInt8]) throws(ParseError) -> ([UInt8], [UInt8]) {
        for (i, c) in raw.enumerated() {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if i == 0 { return ([], raw) }
            case UInt8(ascii: ":"):
                if i == 0 { throw ParseError(reason: "missing protocol scheme") }
                return (Array(raw[..<i]), Array(raw[(i + 1)...]))
            default:
                return ([], raw)
            }
        }
        return ([], raw)
    }

    private static func validOptionalPort(_ port: ArraySlice<UInt8>) -> Bool {
        if port.isEmpty { return true }
        guard port.first == UInt8(ascii: ":") else { return false }
        return port.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func parseAuthority(_ authority: [UInt8]) throws(ParseError) -> ((username: [UInt8], password: [UInt8]?)?, [UInt8]) {
        let at = authority.lastIndex(of: UInt8(ascii: "@"))
        let host = try parseHost(at.map { Array(authority[($0 + 1)...]) } ?? authority)
        guard let at else { return (nil, host) }
        let userinfo = Array(authority[..<at])
        guard validUserinfo(userinfo) else { throw ParseError(reason: "net/url: invalid userinfo") }
        if let colon = userinfo.firstIndex(of: UInt8(ascii: ":")) {
            let username = try unescape(Array(userinfo[..<colon]), .userPassword)
            let password = try unescape(Array(userinfo[(colon + 1)...]), .userPassword)
            return ((username, password), host)
        }
        return ((try unescape(userinfo, .userPassword), nil), host)
    }

    private static func validUserinfo(_ s: [UInt8]) -> Bool {
        let allowed = Array("-._:~!$&'()*+,;=%@".utf8)
        return s.allSatisfy { c in
            (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || allowed.contains(c)
        }
    }

    private static func parseHost(_ host: [UInt8]) throws(ParseError) -> [UInt8] {
        if host.first == UInt8(ascii: "[") {
            guard let close = host.lastIndex(of: UInt8(ascii: "]")) else { throw ParseError(reason: "missing ']' in host") }
            if !validOptionalPort(host[(close + 1)...]) { throw ParseError(reason: "invalid port after host") }
            if let zone = GoStrings.index(Array(host[..<close]), Array("%25".utf8)) {
                let part1 = try unescape(Array(host[..<zone]), .host)
                let part2 = try unescape(Array(host[zone..<close]), .zone)
                let part3 = try unescape(Array(host[close...]), .host)
                return part1 + part2 + part3
            }
        } else if let colon = host.lastIndex(of: UInt8(ascii: ":")) {
            if !validOptionalPort(host[colon...]) { throw ParseError(reason: "invalid port after host") }
        }
        return try unescape(host, .host)
    }

    // MARK: Formatting

    /// `URL.Hostname`: the host without port and IPv6 brackets.
    var hostname: [UInt8] {
        var h = host[...]
        if let colon = h.lastIndex(of: UInt8(ascii: ":")), Self.validOptionalPort(h[colon...]) {
            h = h[..<colon]
        }
        if h.first == UInt8(ascii: "[") && h.last == UInt8(ascii: "]") {
            h = h.dropFirst().dropLast()
        }
        return Array(h)
    }

    /// `Userinfo.String`.
    var userinfoText: [UInt8] {
        guard let user else { return [] }
        var out = Self.escape(user.username, .userPassword)
        if let password = user.password {
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: Self.escape(password, .userPassword))
        }
        return out
    }

    private var escapedPath: [UInt8] {
        if !rawPath.isEmpty, let decoded = try? Self.unescape(rawPath, .path), decoded == path {
            return rawPath
        }
        if path == [UInt8(ascii: "*")] { return path }
        return Self.escape(path, .path)
    }

    private var escapedFragment: [UInt8] {
        if !rawFragment.isEmpty, let decoded = try? Self.unescape(rawFragment, .fragment), decoded == fragment {
            return rawFragment
        }
        return Self.escape(fragment, .fragment)
    }

    /// `URL.String`.
    var text: [UInt8] {
        var out: [UInt8] = []
        if !scheme.isEmpty {
            out.append(contentsOf: scheme)
            out.append(UInt8(ascii: ":"))
        }
        if !opaque.isEmpty {
            out.append(contentsOf: opaque)
        } else {
            if !scheme.isEmpty || !host.isEmpty || user != nil {
                if omitHost && host.isEmpty && user == nil {
                    // Empty host omitted.
                } else {
                    if !host.isEmpty || !path.isEmpty || user != nil { out.append(contentsOf: Array("//".utf8)) }
                    if user != nil {
                        out.append(contentsOf: userinfoText)
                        out.append(UInt8(ascii: "@"))
                    }
                    if !host.isEmpty { out.append(contentsOf: Self.escape(host, .host)) }
                }
            }
            let p = escapedPath
            if !p.isEmpty && p[0] != UInt8(ascii: "/") && !host.isEmpty { out.append(UInt8(ascii: "/")) }
            if out.isEmpty {
                let segment = p.split(separator: UInt8(ascii: "/"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
                if segment.contains(UInt8(ascii: ":")) { out.append(contentsOf: Array("./".utf8)) }
            }
            out.append(contentsOf: p)
        }
        if forceQuery || !rawQuery.isEmpty {
            out.append(UInt8(ascii: "?"))
            out.append(contentsOf: rawQuery)
        }
        if !fragment.isEmpty {
            out.append(UInt8(ascii: "#"))
            out.append(contentsOf: escapedFragment)
        }
        return out
    }
}
