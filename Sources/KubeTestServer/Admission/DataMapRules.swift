import Foundation

/// Validation shared by Secrets and ConfigMaps: key syntax, base64 payloads, `immutable`.
enum DataMapRules {
    /// The message of `IsConfigMapKey` in `k8s.io/apimachinery/pkg/util/validation`.
    private static let keyMessage =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
        + "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

    /// Errors for keys of the map at `field` that are not valid config keys.
    static func keyErrors(_ map: JSONValue?, field: String) -> [FieldError] {
        guard let members = map?.objectValue else { return [] }
        var errors: [FieldError] = []
        for key in members.keys.sorted() {
            let isValid = !key.isEmpty && key.utf8.count <= 253 && key != "." && key != ".."
                && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
            if !isValid {
                errors.append(.invalid("\(field)[\(key)]", .string(key), keyMessage))
            }
        }
        return errors
    }

    /// Checks that every value of the map at `field` is standard base64, throwing the decoding
    /// error the real server's JSON decoder produces for `[]byte` fields.
    static func requireBase64(_ object: JSONValue, field: String, kind: String) throws(KubeAPIError) {
        guard let map = object[field] else { return }
        guard let members = map.objectValue else {
            throw .badRequest("\(kind) in version \"v1\" cannot be handled as a \(kind): \(field) must be an object")
        }
        for key in members.keys.sorted() {
            let value = members[key]!
            if value == .null { continue }
            guard let text = value.stringValue else {
                throw .badRequest(
                    "\(kind) in version \"v1\" cannot be handled as a \(kind): json: cannot unmarshal into \(field)[\(key)]: expected a base64 string")
            }
            if let offset = firstInvalidBase64Offset(text) {
                throw .badRequest(
                    "\(kind) in version \"v1\" cannot be handled as a \(kind): illegal base64 data at input byte \(offset)")
            }
        }
    }

    /// The offset Go's `encoding/base64` reports for the first bad byte, or `nil` if valid.
    static func firstInvalidBase64Offset(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        if Data(base64Encoded: text) != nil { return nil }
        for (offset, byte) in bytes.enumerated() {
            let isAlphabet = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
            if !isAlphabet { return offset }
        }
        return bytes.count - (bytes.count % 4 == 0 ? 1 : bytes.count % 4)
    }

    /// The `immutable` rules: once set, neither the flag nor the listed data fields may change.
    static func immutabilityErrors(_ object: JSONValue, old: JSONValue?, dataFields: [String]) -> [FieldError] {
        guard let old, old["immutable"]?.boolValue == true else { return [] }
        var errors: [FieldError] = []
        if object["immutable"]?.boolValue != true {
            errors.append(.forbidden("immutable", "field is immutable when `immutable` is set"))
        }
        for field in dataFields where (object[field] ?? .object([:])) != (old[field] ?? .object([:])) {
            errors.append(.forbidden(field, "field is immutable when `immutable` is set"))
        }
        return errors
    }
}
