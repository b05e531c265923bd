import Foundation

/// Renders objects as `meta.k8s.io` `Table`s, the server-side printing `kubectl get` uses.
struct TableRenderer {
    let definition: ResourceDefinition
    let version: String
    /// `includeObject`: `None`, `Metadata` (the default) or `Object`.
    let includeObject: String
    let now: Date

    init(definition: ResourceDefinition, version: String, query: QueryParameters, now: Date = Date()) throws(KubeAPIError) {
        let includeObject = query["includeObject"] ?? "Metadata"
        guard ["None", "Metadata", "Object"].contains(includeObject) else {
            throw .badRequest("includeObject must be one of None, Metadata, or Object: invalid value \"\(includeObject)\"")
        }
        self.definition = definition
        self.version = version
        self.includeObject = includeObject
        self.now = now
    }

    private var columns: [TableColumn] { [.name] + definition.columns }

    /// A Table of `objects` with list metadata `metadata`.
    func table(_ objects: [JSONValue], metadata: JSONValue, includeColumns: Bool = true) -> JSONValue {
        var table: JSONValue = [
            "kind": "Table",
            "apiVersion": .string("meta.k8s.io/\(version)"),
            "metadata": metadata,
            "rows": .array(objects.map(row)),
        ]
        if includeColumns {
            table["columnDefinitions"] = .array(columns.map(\.definition))
        }
        return table
    }

    private func row(_ object: JSONValue) -> JSONValue {
        var row: JSONValue = ["cells": .array(columns.map { $0.cell(object, now) })]
        switch includeObject {
        case "Object":
            row["object"] = object
        case "Metadata":
            row["object"] = PartialObjectMetadata.of(object, version: version)
        default:
            break
        }
        return row
    }
}

/// The metadata-only view of an object (`meta.k8s.io` `PartialObjectMetadata`).
enum PartialObjectMetadata {
    static func of(_ object: JSONValue, version: String) -> JSONValue {
        ["kind": "PartialObjectMetadata", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": object.metadata]
    }

    static func list(_ objects: [JSONValue], metadata: JSONValue, version: String) -> JSONValue {
        [
            "kind": "PartialObjectMetadataList", "apiVersion": .string("meta.k8s.io/\(version)"),
            "metadata": metadata, "items": .array(objects.map { of($0, version: version) }),
        ]
    }
}
