/// Minimal OpenAPI v3 documents (`/openapi/v3`), listing each resource's operations with their
/// `x-kubernetes-group-version-kind` and query parameters.
///
/// kubectl reads them to decide whether the server validates fields itself: when the PATCH
/// operation of a kind lists `fieldValidation`, `kubectl create` sends `fieldValidation=Strict`
/// instead of downloading schemas for client-side validation (which would need
/// `/openapi/v2`, not served). The documents carry no schemas and no patch request bodies,
/// so `kubectl apply` computes its patches from compiled-in types (strategic merge for
/// built-in kinds, JSON merge for SealedSecrets), as it does for servers without OpenAPI.
struct OpenAPIDocuments: Sendable {
    let catalog: ResourceCatalog

    /// `/openapi/v3`: where each group version's document lives.
    var root: JSONValue {
        var paths: [String: JSONValue] = [:]
        for (group, version) in catalog.groupVersions {
            let path = Self.path(group: group, version: version)
            paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)")]
        }
        return ["paths": .object(paths)]
    }

    private static func path(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    /// The document for one group version.
    func document(group: String, version: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for definition in catalog.definitions(group: group, version: version) {
            let prefix = "/" + Self.path(group: group, version: version)
            let scope = definition.namespaced ? "/namespaces/{namespace}" : ""
            let collection = "\(prefix)\(scope)/\(definition.resource.plural)"
            paths[collection] = [
                "get": operation(definition, action: "list", parameters: Self.listParameters),
                "post": operation(definition, action: "post", parameters: Self.writeParameters),
                "delete": operation(definition, action: "deletecollection", parameters: Self.listParameters),
            ]
            paths["\(collection)/{name}"] = [
                "get": operation(definition, action: "get", parameters: []),
                "put": operation(definition, action: "put", parameters: Self.writeParameters),
                "patch": operation(definition, action: "patch", parameters: Self.writeParameters + ["force"]),
                "delete": operation(definition, action: "delete", parameters: ["dryRun", "propagationPolicy"]),
            ]
            if definition.hasStatusSubresource {
                paths["\(collection)/{name}/status"] = [
                    "get": operation(definition, action: "get", parameters: []),
                    "put": operation(definition, action: "put", parameters: Self.writeParameters),
                    "patch": operation(definition, action: "patch", parameters: Self.writeParameters + ["force"]),
                ]
            }
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": .string("v\(DiscoveryDocuments.emulatedMajor).\(DiscoveryDocuments.emulatedMinor).0")],
            "paths": .object(paths),
            "components": ["schemas": [:]],
        ]
    }

    private static let writeParameters = ["dryRun", "fieldManager", "fieldValidation"]
    private static let listParameters = [
        "allowWatchBookmarks", "continue", "fieldSelector", "labelSelector", "limit", "resourceVersion",
        "resourceVersionMatch", "sendInitialEvents", "timeoutSeconds", "watch",
    ]

    private func operation(_ definition: ResourceDefinition, action: String, parameters: [String]) -> JSONValue {
        [
            "x-kubernetes-action": .string(action),
            "x-kubernetes-group-version-kind": [
                "group": .string(definition.resource.group),
                "version": .string(definition.resource.version),
                "kind": .string(definition.kind),
            ],
            "parameters": .array(parameters.map { ["name": .string($0), "in": "query", "schema": ["type": "string"]] }),
            "responses": ["200": ["description": "OK"]],
        ]
    }
}
