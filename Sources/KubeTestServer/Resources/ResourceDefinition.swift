/// Everything the server knows about one resource: discovery data, scope, subresources, how
/// writes are handled, which fields can be selected on, and how `kubectl get` prints it.
struct ResourceDefinition: Sendable {
    let resource: KubeResource
    let kind: String
    let singular: String
    let namespaced: Bool
    let shortNames: [String]
    let categories: [String]
    /// Subresources served under the object path (`status`, `proxy`).
    let subresources: [String]
    let generationPolicy: GenerationPolicy
    /// Custom resources differ from built-ins in small, observable ways: DELETE returns the
    /// object instead of a Status, and strategic merge patch is refused with 415.
    let isCustomResource: Bool
    let nameFormat: NameFormat
    /// Top-level fields of the schema; others are pruned (or rejected under
    /// `fieldValidation=Strict`). `nil` keeps every field.
    let knownFields: Set<String>?
    /// Strategic-merge-patch list strategies (the Go types' `patchMergeKey` tags).
    let listStrategies: [[String]: ListMergeStrategy]
    /// Field-selector paths supported beyond `metadata.name` and `metadata.namespace`.
    let selectableFields: [String]
    /// Server-side printing columns, after the name column.
    let columns: [TableColumn]
    let admission: any AdmissionPolicy

    var apiVersion: String { resource.groupVersion }
    var listKind: String { kind + "List" }
    var hasStatusSubresource: Bool { subresources.contains("status") }

    /// The verbs every resource here supports on its main endpoint.
    static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// The `APIResource` entries for discovery: the resource itself, then its subresources.
    var discoveryEntries: [JSONValue] {
        var main: JSONValue = [
            "name": .string(resource.plural),
            "singularName": .string(singular),
            "namespaced": .bool(namespaced),
            "kind": .string(kind),
            "verbs": .array(Self.standardVerbs.map(JSONValue.string)),
        ]
        if !shortNames.isEmpty { main["shortNames"] = .array(shortNames.map(JSONValue.string)) }
        if !categories.isEmpty { main["categories"] = .array(categories.map(JSONValue.string)) }
        let subresourceEntries: [JSONValue] = subresources.map { subresource in
            let verbs = subresource == "proxy"
                ? ["create", "delete", "get", "patch", "update"]
                : ["get", "patch", "update"]
            return [
                "name": .string("\(resource.plural)/\(subresource)"),
                "singularName": "",
                "namespaced": .bool(namespaced),
                "kind": .string(subresource == "proxy" ? "ServiceProxyOptions" : kind),
                "verbs": .array(verbs.map(JSONValue.string)),
            ]
        }
        return [main] + subresourceEntries
    }

    /// Whether `path` (such as `metadata.name` or `type`) can be used in a field selector.
    func supportsFieldSelector(_ path: String) -> Bool {
        path == "metadata.name" || path == "metadata.namespace" || selectableFields.contains(path)
    }
}
