/// How dependents of a deleted object are treated (`propagationPolicy`).
enum PropagationPolicy: String, Sendable {
    /// Dependents lose their owner reference and stay.
    case orphan = "Orphan"
    /// Dependents are deleted after the owner.
    case background = "Background"
    /// Dependents are deleted, then the owner. Here both happen in one step (the owner's
    /// `DELETED` event comes first), since no controller runs between them.
    case foreground = "Foreground"
}

/// The parsed `DeleteOptions` of a DELETE request (body and query parameters).
struct DeleteOptions: Sendable {
    var propagation = PropagationPolicy.background
    var preconditionUID: String?
    var preconditionResourceVersion: String?
    var dryRun = false

    /// Reads a `DeleteOptions` body (may be absent) and the query parameters that mirror it.
    static func parse(body: JSONValue?, query: QueryParameters) throws(KubeAPIError) -> DeleteOptions {
        var options = DeleteOptions()
        if let body {
            guard case .object = body else { throw .badRequest("the DeleteOptions body must be a JSON object") }
            if let policy = body["propagationPolicy"]?.stringValue {
                options.propagation = try parsePolicy(policy)
            } else if body["orphanDependents"]?.boolValue == true {
                options.propagation = .orphan
            }
            options.preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
            options.preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
            options.dryRun = (body["dryRun"]?.arrayValue ?? []).contains("All")
        }
        if let policy = query["propagationPolicy"] {
            options.propagation = try parsePolicy(policy)
        }
        if query["dryRun"] == "All" { options.dryRun = true }
        return options
    }

    private static func parsePolicy(_ text: String) throws(KubeAPIError) -> PropagationPolicy {
        guard let policy = PropagationPolicy(rawValue: text) else {
            throw .invalid(kind: "DeleteOptions", resource: KubeResource(group: "", version: "v1", plural: "deleteoptions"),
                           name: "", errors: [.notSupported("propagationPolicy", .string(text),
                                                            supported: ["Foreground", "Background", "Orphan"])])
        }
        return policy
    }
}

/// What a DELETE did.
enum DeleteOutcome: Sendable {
    /// The object is gone; this is its last state.
    case deleted(JSONValue)
    /// Finalizers remain: the object now has a `deletionTimestamp` and stays until they clear.
    case pending(JSONValue)
}
