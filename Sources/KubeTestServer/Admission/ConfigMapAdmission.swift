/// The ConfigMap strategy: valid keys in `data` and `binaryData`, base64 `binaryData`, and
/// the `immutable` rules.
struct ConfigMapAdmission: AdmissionPolicy {
    func prepareForCreate(_ object: inout JSONValue, context: AdmissionContext) throws(KubeAPIError) {
        try DataMapRules.requireBase64(object, field: "binaryData", kind: "ConfigMap")
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) throws(KubeAPIError) {
        try DataMapRules.requireBase64(object, field: "binaryData", kind: "ConfigMap")
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors = DataMapRules.keyErrors(object["data"], field: "data")
        errors += DataMapRules.keyErrors(object["binaryData"], field: "binaryData")
        for (key, value) in (object["data"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) where value.stringValue == nil {
            errors.append(.invalid("data[\(key)]", value, "must be a string"))
        }
        errors += DataMapRules.immutabilityErrors(object, old: old, dataFields: ["data", "binaryData"])
        return errors
    }
}
