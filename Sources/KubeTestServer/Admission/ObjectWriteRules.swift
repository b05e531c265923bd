import Foundation

/// The kind-independent half of every write, the part the real API server's generic registry
/// performs around each kind's strategy: type checks, pruning of unknown fields, server-owned
/// metadata, optimistic concurrency, subresource isolation and `metadata.generation`.
enum ObjectWriteRules {
    /// Fields a client may not set; the server owns them.
    private static let serverOwnedMetadata = ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                                              "deletionGracePeriodSeconds", "generation", "selfLink"]

    /// Checks `apiVersion` and `kind` against the endpoint and fills them in when absent.
    static func checkTypeMeta(_ object: inout JSONValue, definition: ResourceDefinition) throws(KubeAPIError) {
        guard case .object = object else {
            throw .badRequest("the body of the request must be a JSON object describing a \(definition.kind)")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, !apiVersion.isEmpty, apiVersion != definition.apiVersion {
            throw .badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(definition.apiVersion))")
        }
        if let kind = object["kind"]?.stringValue, !kind.isEmpty, kind != definition.kind {
            throw .badRequest("the kind in the data (\(kind)) does not match the expected kind (\(definition.kind))")
        }
        object["apiVersion"] = .string(definition.apiVersion)
        object["kind"] = .string(definition.kind)
        if case .object = object.metadata {} else if object["metadata"] != nil {
            throw .badRequest("\(definition.kind) in version \"\(definition.resource.version)\" cannot be handled as a \(definition.kind): metadata must be an object")
        }
    }

    /// Drops fields the schema does not know and reports them according to `validation`.
    static func pruneUnknownFields(
        _ object: inout JSONValue, definition: ResourceDefinition, validation: FieldValidation
    ) throws(KubeAPIError) -> [String] {
        var unknown: [String] = []
        if let known = definition.knownFields, let members = object.objectValue {
            for key in members.keys.sorted() where !known.contains(key) {
                unknown.append(key)
                object[key] = nil
            }
        }
        if let metadata = object["metadata"]?.objectValue {
            for key in metadata.keys.sorted() where !knownMetadataFields.contains(key) {
                unknown.append("metadata.\(key)")
                object[path: ["metadata", key]] = nil
            }
        }
        let messages = unknown.map { "unknown field \"\($0)\"" }
        switch validation {
        case .ignore:
            return []
        case .warn:
            return messages
        case .strict:
            guard messages.isEmpty else {
                let detail = messages.count == 1 ? messages[0] : messages.joined(separator: ", ")
                throw .badRequest("\(definition.kind) in version \"\(definition.resource.version)\" cannot be handled as a \(definition.kind): strict decoding error: \(detail)")
            }
            return []
        }
    }

    /// Validates `metadata` fields every kind shares.
    static func metadataErrors(_ object: JSONValue, definition: ResourceDefinition) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.name
        for problem in definition.nameFormat.problems(name) {
            errors.append(.invalid("metadata.name", .string(name), problem))
        }
        for field in ["labels", "annotations"] {
            guard let map = object.metadata[field] else { continue }
            guard let members = map.objectValue else {
                errors.append(.invalid("metadata.\(field)", map, "must be a map of strings"))
                continue
            }
            for (key, value) in members.sorted(by: { $0.key < $1.key }) where value.stringValue == nil {
                errors.append(.invalid("metadata.\(field)[\(key)]", value, "must be a string"))
            }
        }
        for (index, reference) in (object.metadata["ownerReferences"]?.arrayValue ?? []).enumerated() {
            for field in ["apiVersion", "kind", "name", "uid"] where (reference[field]?.stringValue ?? "").isEmpty {
                errors.append(.required("metadata.ownerReferences[\(index)].\(field)", ""))
            }
        }
        return errors
    }

    /// Turns a create request body into the object to store, minus the resource version.
    ///
    /// - Parameter namespace: The namespace from the URL; `nil` for cluster-scoped resources.
    static func prepareCreate(
        _ body: JSONValue, definition: ResourceDefinition, namespace: String?, options: WriteOptions,
        generateName: (String) -> String
    ) throws(KubeAPIError) -> (object: JSONValue, warnings: [String]) {
        var object = body
        try checkTypeMeta(&object, definition: definition)
        let warnings = try pruneUnknownFields(&object, definition: definition, validation: options.fieldValidation)
        if !object.resourceVersion.isEmpty {
            throw .badRequest("resourceVersion should not be set on objects to be created")
        }
        if let namespace {
            let given = object.namespace
            if !given.isEmpty && given != namespace {
                throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            object[path: ["metadata", "namespace"]] = .string(namespace)
        } else {
            object[path: ["metadata", "namespace"]] = nil
        }
        for field in serverOwnedMetadata {
            object[path: ["metadata", field]] = nil
        }
        if definition.hasStatusSubresource {
            // Status is written through the subresource only; the kind's admission may default it.
            object["status"] = nil
        }
        if object.name.isEmpty {
            guard let prefix = object.metadata["generateName"]?.stringValue, !prefix.isEmpty else {
                throw .invalid(kind: definition.kind, resource: definition.resource, name: "",
                               errors: [.required("metadata.name", "name or generateName is required")])
            }
            object[path: ["metadata", "name"]] = .string(generateName(prefix))
        }
        object[path: ["metadata", "uid"]] = .string(UUID().uuidString.lowercased())
        object[path: ["metadata", "creationTimestamp"]] = .string(Timestamp.format(Date()))
        if definition.generationPolicy == .desiredState {
            object[path: ["metadata", "generation"]] = 1
        }
        return (object, warnings)
    }

    /// Turns an update candidate into the object to store, given the stored object `old`.
    ///
    /// Enforces the optimistic-concurrency precondition, keeps server-owned metadata, applies
    /// status-subresource isolation, and bumps `metadata.generation` per the resource's policy.
    static func prepareUpdate(
        _ candidate: JSONValue, old: JSONValue, definition: ResourceDefinition, target: WriteTarget,
        options: WriteOptions
    ) throws(KubeAPIError) -> (object: JSONValue, warnings: [String]) {
        var object = candidate
        try checkTypeMeta(&object, definition: definition)
        let warnings = try pruneUnknownFields(&object, definition: definition, validation: options.fieldValidation)
        if !object.name.isEmpty && object.name != old.name {
            throw .badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(old.name))")
        }
        if definition.namespaced && !object.namespace.isEmpty && object.namespace != old.namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let requestedVersion = object.resourceVersion
        if !requestedVersion.isEmpty && requestedVersion != old.resourceVersion {
            throw .staleResourceVersion(definition.resource, name: old.name)
        }
        if !object.uid.isEmpty && object.uid != old.uid {
            throw .conflict(definition.resource, name: old.name,
                            why: "Precondition failed: UID in precondition: \(object.uid), UID in object meta: \(old.uid)")
        }

        switch target {
        case .status:
            // Like the status strategies: start from the stored object and take only `status`.
            let status = object["status"]
            object = old
            object["status"] = status
        case .main:
            if definition.hasStatusSubresource {
                object["status"] = old["status"]
            }
            for field in serverOwnedMetadata + ["name", "namespace"] {
                object[path: ["metadata", field]] = old.metadata[field]
            }
            object[path: ["metadata", "generateName"]] = object.metadata["generateName"] ?? old.metadata["generateName"]
        }
        if old.deletionTimestamp != nil {
            let added = Set(object.finalizers).subtracting(old.finalizers)
            if !added.isEmpty {
                throw .invalid(kind: definition.kind, resource: definition.resource, name: old.name,
                               errors: [.forbidden("metadata.finalizers",
                                                   "no new finalizers can be added if the object is being deleted, found new finalizers \(added.sorted())")])
            }
        }
        if definition.generationPolicy == .desiredState && desiredStateChanged(object, old, definition: definition) {
            object[path: ["metadata", "generation"]] = .int((old.generation ?? 1) + 1)
        }
        return (object, warnings)
    }

    /// Whether anything outside `metadata` (and `status`, with a status subresource) differs.
    private static func desiredStateChanged(_ new: JSONValue, _ old: JSONValue, definition: ResourceDefinition) -> Bool {
        var newRest = new
        var oldRest = old
        for field in ["metadata", "apiVersion", "kind"] + (definition.hasStatusSubresource ? ["status"] : []) {
            newRest[field] = nil
            oldRest[field] = nil
        }
        return newRest != oldRest
    }
}
