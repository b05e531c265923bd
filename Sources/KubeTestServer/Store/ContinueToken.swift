import Foundation

/// The opaque `continue` token of a paginated LIST: the snapshot resource version and the
/// last key returned, base64-encoded JSON as in the real API server.
///
/// Later pages are served from the state at the first page's resource version (rebuilt from
/// the event history), so pagination is a consistent snapshot until that version leaves the
/// compaction window; then the server answers `410 Expired` with a fresh token that
/// continues from the same key at the latest version (`rv: -1`).
struct ContinueToken: Sendable, Equatable {
    /// The snapshot's resource version, or -1 for "continue at the latest version".
    let resourceVersion: Int
    /// The path of the last object already returned.
    let startAfter: String

    var encoded: String {
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(Int64(resourceVersion)), "start": .string(startAfter)]
        return Data(JSONWriter.bytes(json)).base64EncodedString()
    }

    static func decode(_ text: String) throws(KubeAPIError) -> ContinueToken {
        guard let data = Data(base64Encoded: text),
              let json = try? JSONParser.parse(Array(data)),
              json["v"]?.stringValue == "meta.k8s.io/v1",
              let resourceVersion = json["rv"]?.intValue,
              let start = json["start"]?.stringValue
        else {
            throw .badRequest("continue key is not valid: the token could not be decoded")
        }
        return ContinueToken(resourceVersion: Int(resourceVersion), startAfter: start)
    }
}
