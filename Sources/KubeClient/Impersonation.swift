/// Acting as another user (kubectl `--as`, `--as-group`, `--as-uid`, or the kubeconfig user's
/// `as`, `as-groups`, `as-uid`, `as-user-extra`): the headers the API server's impersonation
/// filter reads, sent exactly as client-go sends them.
public struct Impersonation: Sendable, Equatable {
    public var user: String
    public var groups: [String]
    public var uid: String?
    public var extra: [String: [String]]

    public init(user: String, groups: [String] = [], uid: String? = nil, extra: [String: [String]] = [:]) {
        self.user = user
        self.groups = groups
        self.uid = uid
        self.extra = extra
    }

    /// `Impersonate-User`, one `Impersonate-Group` per group, `Impersonate-Uid`, and one
    /// `Impersonate-Extra-<key>` per value (the key percent-encoded, as client-go does).
    var headers: [(name: String, value: String)] {
        var headers = [("Impersonate-User", user)]
        for group in groups { headers.append(("Impersonate-Group", group)) }
        if let uid, !uid.isEmpty { headers.append(("Impersonate-Uid", uid)) }
        for key in extra.keys.sorted() {
            for value in extra[key] ?? [] { headers.append(("Impersonate-Extra-" + Self.escapeExtraKey(key), value)) }
        }
        return headers
    }

    /// client-go's `headerKeyEscape`: bytes outside the legal token characters become `%XX`.
    static func escapeExtraKey(_ key: String) -> String {
        var escaped = ""
        for byte in key.utf8 {
            let character = Character(Unicode.Scalar(byte))
            let legal = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "!#$&'*+-.^_`|~".contains(character)
            escaped += legal ? String(character) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
        return escaped
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
