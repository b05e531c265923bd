/// A request pattern in RBAC terms, used to deny access (403) or to aim injected faults.
///
/// `nil` fields match anything; `"*"` does too for `verb` and `resource`.
public struct AccessRule: Sendable, Hashable {
    /// A Kubernetes verb such as `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`.
    public var verb: String?
    /// A plural resource, optionally with a subresource: `secrets`, `sealedsecrets/status`.
    public var resource: String?
    /// The API group; `""` is the core group.
    public var group: String?
    public var namespace: String?

    public init(verb: String? = nil, resource: String? = nil, group: String? = nil, namespace: String? = nil) {
        self.verb = verb
        self.resource = resource
        self.group = group
        self.namespace = namespace
    }

    func matches(_ attributes: RequestAttributes) -> Bool {
        if let verb, verb != "*", verb != attributes.verb { return false }
        guard resource != nil || group != nil || namespace != nil else { return true }
        guard let target = attributes.target else { return false }
        if let resource, resource != "*" {
            let requested = target.subresource.map { "\(target.definition.resource.plural)/\($0)" }
                ?? target.definition.resource.plural
            if resource != requested { return false }
        }
        if let group, group != target.definition.resource.group { return false }
        if let namespace, namespace != target.namespace { return false }
        return true
    }
}
