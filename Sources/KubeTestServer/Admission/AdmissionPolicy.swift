/// State an admission policy may consult while defaulting a new object.
struct AdmissionContext {
    /// Whether a Service already holds this cluster IP.
    let isClusterIPInUse: (String) -> Bool
}

/// The kind-specific part of a write: defaulting, normalisation and validation.
///
/// The real API server runs a registry "strategy" per kind; this protocol is its counterpart.
/// The store calls `prepare…` first (defaults and conversions such as Secret `stringData`
/// folding into `data`, which may fail with a 400 for undecodable input), then `validate`,
/// whose errors become one 422 `Invalid` answer.
protocol AdmissionPolicy: Sendable {
    func prepareForCreate(_ object: inout JSONValue, context: AdmissionContext) throws(KubeAPIError)
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) throws(KubeAPIError)
    /// Field errors for `object`; `old` is the stored object on update, `nil` on create.
    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError]
}

extension AdmissionPolicy {
    func prepareForCreate(_ object: inout JSONValue, context: AdmissionContext) throws(KubeAPIError) {}
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) throws(KubeAPIError) {}
    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] { [] }
}

/// Kinds with no rules beyond the generic metadata handling (Leases, Events, SealedSecrets).
struct NoAdmissionRules: AdmissionPolicy {}
