import Hummingbird

/// Header names the Kubernetes API uses that have no constant in HTTPTypes.
extension HTTPFields.Element.Name {
    /// `Warning`, which carries `fieldValidation=Warn` messages (RFC 7234 section 5.5).
    static let kubeWarning = Self("Warning")!
    /// `Audit-Id`, sent by real API servers on every response.
    static let auditID = Self("Audit-Id")!
}
