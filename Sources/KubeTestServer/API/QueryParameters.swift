import Foundation

/// The decoded query string of a request.
///
/// Decoding follows Go's `url.ParseQuery`, which is how client-go encodes parameters: `+` is a
/// space and `%XX` escapes are decoded, so selectors such as `tier in (a,b)` arrive intact.
/// The first occurrence of a repeated parameter wins.
struct QueryParameters: Sendable {
    private let values: [String: String]

    init(_ query: String?) {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[key] == nil { values[key] = value }
        }
        self.values = values
    }

    subscript(name: String) -> String? {
        values[name]
    }

    /// A boolean parameter: `true`, `1` (and, as in Kubernetes, any value but `false`/`0`).
    func flag(_ name: String) -> Bool {
        guard let value = values[name] else { return false }
        return value != "false" && value != "0"
    }

    /// A non-negative integer parameter; a malformed value is a 400.
    func integer(_ name: String) throws(KubeAPIError) -> Int? {
        guard let text = values[name], !text.isEmpty else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw .badRequest("invalid value for \(name): \"\(text)\"")
        }
        return value
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
