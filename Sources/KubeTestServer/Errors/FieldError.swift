/// One validation failure on one field, worded like `k8s.io/apimachinery/pkg/util/validation/field`.
///
/// A 422 `Invalid` answer aggregates these; clients read both the message and the `causes`.
struct FieldError: Sendable, CustomStringConvertible {
    /// The field error types the API server reports, with their printed forms and cause reasons.
    enum Kind: Sendable {
        case required, invalid, forbidden, notSupported, duplicate, tooLong

        var text: String {
            switch self {
            case .required: "Required value"
            case .invalid: "Invalid value"
            case .forbidden: "Forbidden"
            case .notSupported: "Unsupported value"
            case .duplicate: "Duplicate value"
            case .tooLong: "Too long"
            }
        }

        var causeReason: String {
            switch self {
            case .required: "FieldValueRequired"
            case .invalid: "FieldValueInvalid"
            case .forbidden: "FieldValueForbidden"
            case .notSupported: "FieldValueNotSupported"
            case .duplicate: "FieldValueDuplicate"
            case .tooLong: "FieldValueTooLong"
            }
        }
    }

    let kind: Kind
    /// The field path, such as `metadata.name` or `data[bad key]`.
    let field: String
    /// The rejected value, printed quoted for strings; `nil` when the message omits it.
    let badValue: JSONValue?
    let detail: String

    static func required(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .required, field: field, badValue: nil, detail: detail)
    }

    static func invalid(_ field: String, _ value: JSONValue, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, badValue: value, detail: detail)
    }

    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, badValue: nil, detail: detail)
    }

    static func notSupported(_ field: String, _ value: JSONValue, supported: [String]) -> FieldError {
        FieldError(kind: .notSupported, field: field, badValue: value,
                   detail: "supported values: " + supported.map { "\"\($0)\"" }.joined(separator: ", "))
    }

    /// The message without the field, as `causes[].message` carries it.
    var body: String {
        var text = kind.text
        if let badValue, kind != .required, kind != .forbidden, kind != .tooLong {
            switch badValue {
            case .string(let string): text += ": \"\(string)\""
            default: text += ": \(JSONWriter.string(badValue))"
            }
        }
        if !detail.isEmpty {
            text += ": \(detail)"
        }
        return text
    }

    var description: String { "\(field): \(body)" }

    /// The `causes[]` entry of the Status object.
    var cause: JSONValue {
        ["reason": .string(kind.causeReason), "message": .string(body), "field": .string(field)]
    }
}
