/// The Namespace strategy: `spec.finalizers` defaults to `["kubernetes"]`, `status.phase` to
/// `Active`, and the `kubernetes.io/metadata.name` label always equals the name, as the
/// real server enforces since Kubernetes 1.21.
struct NamespaceAdmission: AdmissionPolicy {
    func prepareForCreate(_ object: inout JSONValue, context: AdmissionContext) throws(KubeAPIError) {
        if object[path: ["spec", "finalizers"]] == nil {
            object[path: ["spec", "finalizers"]] = ["kubernetes"]
        }
        object["status"] = ["phase": "Active"]
        setNameLabel(&object)
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) throws(KubeAPIError) {
        setNameLabel(&object)
    }

    private func setNameLabel(_ object: inout JSONValue) {
        object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(object.name)
    }
}
