/// A Kubernetes API failure: what the server answers with a `Status` object.
///
/// Every error path in the server ends in one of these, so that clients under test see the
/// same `code`, `reason` and `message` a real API server sends (client libraries, SealKit's
/// included, branch on `reason`). The direct store API throws it too.
public struct KubeAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code, also the Status object's `code`.
    public let code: Int
    /// The machine-readable `reason`, such as `NotFound`, `Conflict` or `Expired`.
    public let reason: String
    /// The human-readable `message`, worded like the real API server's.
    public let message: String
    /// The Status object's `details` (name, group, kind, causes, retryAfterSeconds), if any.
    public let details: JSONValue?
    /// `metadata.continue` of the Status: the fresh token sent with an expired continue token.
    let listContinue: String?
    /// A `Retry-After` header sent verbatim instead of `details.retryAfterSeconds` (fault
    /// injection of malformed values).
    var retryAfterHeader: String?

    init(code: Int, reason: String, message: String, details: JSONValue? = nil, listContinue: String? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.listContinue = listContinue
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// The `Status` object sent as the response body or as a watch `ERROR` event's object.
    public var status: JSONValue {
        var status: JSONValue = [
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": listContinue.map { ["continue": .string($0)] } ?? [:],
            "status": "Failure",
            "message": .string(message),
            "reason": .string(reason),
            "code": .int(Int64(code)),
        ]
        if let details {
            status["details"] = details
        }
        return status
    }

    /// `Retry-After` seconds for 429 and 503 answers, from `details.retryAfterSeconds`.
    var retryAfterSeconds: Int? {
        details?["retryAfterSeconds"]?.intValue.map { Int($0) }
    }
}

// MARK: - The API server's error constructors (k8s.io/apimachinery/pkg/api/errors)

extension KubeAPIError {
    private static func details(_ resource: KubeResource, name: String?, kind: String? = nil) -> JSONValue {
        var details: JSONValue = ["kind": .string(kind ?? resource.plural)]
        if let name, !name.isEmpty { details["name"] = .string(name) }
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        return details
    }

    /// 404: `secrets "x" not found`.
    static func notFound(_ resource: KubeResource, name: String) -> KubeAPIError {
        KubeAPIError(code: 404, reason: "NotFound", message: "\(resource) \"\(name)\" not found",
                     details: details(resource, name: name))
    }

    /// 404 for a path that names no resource.
    static let pathNotFound = KubeAPIError(
        code: 404, reason: "NotFound", message: "the server could not find the requested resource", details: [:])

    /// 409: `secrets "x" already exists`.
    static func alreadyExists(_ resource: KubeResource, name: String) -> KubeAPIError {
        KubeAPIError(code: 409, reason: "AlreadyExists", message: "\(resource) \"\(name)\" already exists",
                     details: details(resource, name: name))
    }

    /// 409: `Operation cannot be fulfilled on secrets "x": <why>`.
    static func conflict(_ resource: KubeResource, name: String, why: String) -> KubeAPIError {
        KubeAPIError(code: 409, reason: "Conflict",
                     message: "Operation cannot be fulfilled on \(resource) \"\(name)\": \(why)",
                     details: details(resource, name: name))
    }

    /// The optimistic-concurrency failure of an update with a stale `resourceVersion`.
    static func staleResourceVersion(_ resource: KubeResource, name: String) -> KubeAPIError {
        conflict(resource, name: name,
                 why: "the object has been modified; please apply your changes to the latest version and try again")
    }

    /// 422: `Secret "x" is invalid: data: Forbidden: ...`, one cause per field error.
    static func invalid(kind: String, resource: KubeResource, name: String, errors: [FieldError]) -> KubeAPIError {
        let qualifiedKind = resource.group.isEmpty ? kind : "\(kind).\(resource.group)"
        let aggregate = errors.count == 1
            ? errors[0].description
            : "[" + errors.map(\.description).joined(separator: ", ") + "]"
        var details = details(resource, name: name, kind: kind)
        details["causes"] = .array(errors.map(\.cause))
        return KubeAPIError(code: 422, reason: "Invalid",
                            message: "\(qualifiedKind) \"\(name)\" is invalid: \(aggregate)", details: details)
    }

    /// 400 with a free-form message.
    static func badRequest(_ message: String) -> KubeAPIError {
        KubeAPIError(code: 400, reason: "BadRequest", message: message)
    }

    /// 401 for a missing or unknown bearer token.
    static let unauthorized = KubeAPIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 403 in RBAC's words: `secrets "x" is forbidden: User "u" cannot get resource "secrets" in
    /// API group "" in the namespace "ns"`.
    static func forbidden(
        _ resource: KubeResource, subresource: String?, name: String?, verb: String, namespace: String?, user: String
    ) -> KubeAPIError {
        let resourceName = subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural
        let scope = namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        let reason = "User \"\(user)\" cannot \(verb) resource \"\(resourceName)\" in API group \"\(resource.group)\" \(scope)"
        let subject = name.map { "\(resource) \"\($0)\"" } ?? "\(resource)"
        return KubeAPIError(code: 403, reason: "Forbidden", message: "\(subject) is forbidden: \(reason)",
                            details: details(resource, name: name))
    }

    /// 405 for a verb the addressed path does not support.
    static let methodNotAllowed = KubeAPIError(
        code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource",
        details: [:])

    /// 410 `Expired`, for watches and continue tokens older than the compaction window.
    static func expired(_ message: String, continueToken: String? = nil) -> KubeAPIError {
        KubeAPIError(code: 410, reason: "Expired", message: message, listContinue: continueToken)
    }

    /// 413 for bodies over the server's limit.
    static func requestEntityTooLarge(limit: Int) -> KubeAPIError {
        KubeAPIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(limit)")
    }

    /// 415 for a patch or body media type the server does not take.
    static func unsupportedMediaType(_ contentType: String, accepted: [String]) -> KubeAPIError {
        KubeAPIError(
            code: 415, reason: "UnsupportedMediaType",
            message: "the body of the request was in an unknown format - accepted media types include: "
                + accepted.joined(separator: ", "),
            details: ["causes": [["reason": "UnexpectedServerResponse", "message": .string(contentType)]]])
    }

    /// 406 when the client accepts no media type the server produces.
    static let notAcceptable = KubeAPIError(
        code: 406, reason: "NotAcceptable",
        message: "only the following media types are accepted: application/json, application/json;stream=watch")

    /// 500 `InternalError`.
    static func internalError(_ message: String) -> KubeAPIError {
        KubeAPIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                     details: ["causes": [["message": .string(message)]]])
    }

    /// 503 `ServiceUnavailable`, optionally with a retry hint.
    static func serviceUnavailable(_ message: String, retryAfterSeconds: Int? = nil) -> KubeAPIError {
        KubeAPIError(code: 503, reason: "ServiceUnavailable", message: message,
                     details: retryAfterSeconds.map { ["retryAfterSeconds": .int(Int64($0))] })
    }

    /// 429 `TooManyRequests` with a retry hint, as API priority and fairness sends it.
    static func tooManyRequests(retryAfterSeconds: Int) -> KubeAPIError {
        KubeAPIError(code: 429, reason: "TooManyRequests",
                     message: "the server has received too many requests and has asked us to try again later",
                     details: ["retryAfterSeconds": .int(Int64(retryAfterSeconds))])
    }

    /// 504 for a watch from a resource version the server has not reached yet.
    static func resourceVersionTooLarge(requested: Int, current: Int) -> KubeAPIError {
        KubeAPIError(code: 504, reason: "Timeout",
                     message: "Timeout: Too large resource version: \(requested), current: \(current)",
                     details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]],
                               "retryAfterSeconds": 1])
    }
}
