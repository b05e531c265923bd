import Foundation

/// The Secret strategy: `stringData` folds into `data` as base64 (what the real API server's
/// conversion does, so `stringData` is never stored or returned), `type` defaults to `Opaque`
/// and cannot change, `kubernetes.io/tls` Secrets need both key files, and `immutable`
/// Secrets keep their data.
struct SecretAdmission: AdmissionPolicy {
    func prepareForCreate(_ object: inout JSONValue, context: AdmissionContext) throws(KubeAPIError) {
        try normalize(&object)
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) throws(KubeAPIError) {
        try normalize(&object)
    }

    private func normalize(_ object: inout JSONValue) throws(KubeAPIError) {
        try DataMapRules.requireBase64(object, field: "data", kind: "Secret")
        var data = object["data"]?.objectValue ?? [:]
        data = data.filter { $0.value != .null }
        if let stringData = object["stringData"], stringData != .null {
            guard let members = stringData.objectValue else {
                throw .badRequest("Secret in version \"v1\" cannot be handled as a Secret: stringData must be an object")
            }
            for (key, value) in members {
                guard let text = value.stringValue else {
                    throw .badRequest(
                        "Secret in version \"v1\" cannot be handled as a Secret: json: cannot unmarshal into stringData[\(key)]: expected a string")
                }
                data[key] = .string(Data(text.utf8).base64EncodedString())
            }
        }
        object["stringData"] = nil
        object["data"] = data.isEmpty ? nil : .object(data)
        if (object["type"]?.stringValue ?? "").isEmpty {
            object["type"] = "Opaque"
        }
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors = DataMapRules.keyErrors(object["data"], field: "data")
        let type = object["type"]?.stringValue ?? "Opaque"
        if type == "kubernetes.io/tls" {
            for key in ["tls.crt", "tls.key"] where object["data"]?[key] == nil {
                errors.append(.required("data[\(key)]", ""))
            }
        }
        if let old {
            let oldType = old["type"]?.stringValue ?? "Opaque"
            if type != oldType {
                errors.append(.invalid("type", .string(type), "field is immutable"))
            }
        }
        errors += DataMapRules.immutabilityErrors(object, old: old, dataFields: ["data"])
        return errors
    }
}
