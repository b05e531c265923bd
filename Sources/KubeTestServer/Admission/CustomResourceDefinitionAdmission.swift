import Foundation

/// The CustomResourceDefinition strategy, reduced to what installing a CRD from a manifest
/// observes: `names.singular` and `names.listKind` are defaulted, the name must be
/// `<plural>.<group>`, exactly one version is the storage version, and a new definition is
/// reported `NamesAccepted` and `Established` at once (so `kubectl wait --for
/// condition=established` returns), with `acceptedNames` and `storedVersions` filled in.
///
/// The served resources do not change: this server's catalog is fixed, and SealedSecrets are
/// served with or without their CRD.
struct CustomResourceDefinitionAdmission: AdmissionPolicy {
    func prepareForCreate(_ object: inout JSONValue, context: AdmissionContext) throws(KubeAPIError) {
        defaultNames(&object)
        let now = JSONValue.string(Timestamp.format(Date()))
        let storage = (object[path: ["spec", "versions"]]?.arrayValue ?? [])
            .filter { $0["storage"]?.boolValue == true }.compactMap { $0["name"] }
        object["status"] = [
            "acceptedNames": object[path: ["spec", "names"]] ?? [:],
            "storedVersions": .array(storage),
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                 "message": "no conflicts found", "lastTransitionTime": now],
                ["type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted", "lastTransitionTime": now],
            ],
        ]
    }

    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) throws(KubeAPIError) {
        defaultNames(&object)
    }

    private func defaultNames(_ object: inout JSONValue) {
        guard var names = object[path: ["spec", "names"]], let kind = names["kind"]?.stringValue, !kind.isEmpty else { return }
        if (names["singular"]?.stringValue ?? "").isEmpty { names["singular"] = .string(kind.lowercased()) }
        if (names["listKind"]?.stringValue ?? "").isEmpty { names["listKind"] = .string(kind + "List") }
        object[path: ["spec", "names"]] = names
    }

    func validate(_ object: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        let group = object[path: ["spec", "group"]]?.stringValue ?? ""
        let plural = object[path: ["spec", "names", "plural"]]?.stringValue ?? ""
        if group.isEmpty {
            errors.append(.required("spec.group", ""))
        } else if !group.contains(".") {
            errors.append(.invalid("spec.group", .string(group), "should be a domain with at least one dot"))
        }
        if plural.isEmpty { errors.append(.required("spec.names.plural", "")) }
        if (object[path: ["spec", "names", "kind"]]?.stringValue ?? "").isEmpty {
            errors.append(.required("spec.names.kind", ""))
        }
        if !group.isEmpty && !plural.isEmpty && object.name != "\(plural).\(group)" {
            errors.append(.invalid("metadata.name", .string(object.name), #"must be spec.names.plural+"."+spec.group"#))
        }
        let scope = object[path: ["spec", "scope"]]?.stringValue ?? ""
        if !["Cluster", "Namespaced"].contains(scope) {
            errors.append(scope.isEmpty ? .required("spec.scope", "")
                : .notSupported("spec.scope", .string(scope), supported: ["Cluster", "Namespaced"]))
        }
        let versions = object[path: ["spec", "versions"]]?.arrayValue ?? []
        if versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            errors.append(FieldError(kind: .invalid, field: "spec.versions", badValue: nil,
                                     detail: "must have exactly one version marked as storage version"))
        }
        if let old, let oldScope = old[path: ["spec", "scope"]]?.stringValue, oldScope != scope, !scope.isEmpty {
            errors.append(.invalid("spec.scope", .string(scope), "field is immutable"))
        }
        return errors
    }
}
