/// Which requests an injected fault applies to: an RBAC-style rule and, optionally, a
/// substring of the request path.
public struct RequestMatcher: Sendable {
    public var rule: AccessRule
    /// A substring the path must contain, such as `/proxy/` or `/sealedsecrets`.
    public var pathContains: String?

    public init(rule: AccessRule = AccessRule(), pathContains: String? = nil) {
        self.rule = rule
        self.pathContains = pathContains
    }

    /// Every request.
    public static let any = RequestMatcher()

    /// Requests with this verb on this resource (`"secrets"`, `"sealedsecrets/status"`).
    public static func verb(_ verb: String, resource: String? = nil) -> RequestMatcher {
        RequestMatcher(rule: AccessRule(verb: verb, resource: resource))
    }

    /// Requests whose path contains `fragment`.
    public static func path(containing fragment: String) -> RequestMatcher {
        RequestMatcher(pathContains: fragment)
    }

    func matches(_ attributes: RequestAttributes) -> Bool {
        if let pathContains, !attributes.path.contains(pathContains) { return false }
        return rule.matches(attributes)
    }
}
