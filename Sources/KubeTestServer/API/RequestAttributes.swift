/// What a request does, in the terms RBAC and audit logs use: verb, resource, namespace,
/// name. Authorization rules and fault-injection matchers both look at these.
struct RequestAttributes: Sendable {
    /// The HTTP method, upper-case.
    let method: String
    /// The request path without the query.
    let path: String
    /// The Kubernetes verb: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`,
    /// `deletecollection`; for non-resource paths, the lower-cased method.
    let verb: String
    let target: ResourceTarget?

    init(method: String, path: String, route: APIRoute?, query: QueryParameters) {
        self.method = method
        self.path = path
        if case .resource(let target) = route {
            self.target = target
            self.verb = Self.verb(method: method, target: target, query: query)
        } else {
            self.target = nil
            self.verb = method.lowercased()
        }
    }

    private static func verb(method: String, target: ResourceTarget, query: QueryParameters) -> String {
        if target.subresource == "proxy" {
            switch method {
            case "POST": return "create"
            case "PUT": return "update"
            default: return method.lowercased()
            }
        }
        switch method {
        case "GET", "HEAD":
            if target.legacyWatch || query.flag("watch") { return "watch" }
            return target.name == nil ? "list" : "get"
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return target.name == nil ? "deletecollection" : "delete"
        default: return method.lowercased()
        }
    }
}
