/// The `fieldValidation` query parameter: what to do about fields the schema does not know.
///
/// Unknown fields are always dropped before storage, as the real server's decoding and
/// pruning drop them; this only decides whether the client hears about it.
enum FieldValidation: String, Sendable {
    /// Drop silently.
    case ignore = "Ignore"
    /// Drop and answer with a `Warning` header per field (the server default).
    case warn = "Warn"
    /// Reject the request with 400 (what kubectl sends by default).
    case strict = "Strict"

    static func parse(_ text: String?) throws(KubeAPIError) -> FieldValidation {
        guard let text, !text.isEmpty else { return .warn }
        guard let value = FieldValidation(rawValue: text) else {
            throw .badRequest("fieldValidation must be one of Ignore, Warn, or Strict: invalid value \"\(text)\"")
        }
        return value
    }
}
