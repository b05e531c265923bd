/// RBAC as the API server evaluates it, for service-account requests: the rules of every
/// ClusterRole bound by a ClusterRoleBinding apply everywhere; those of a Role, or a
/// ClusterRole, bound by a RoleBinding apply in the binding's namespace. A request is allowed
/// when one rule matches its API group, resource (with `/subresource`), verb and, when the
/// rule names any, the object's name. Discovery and other non-resource paths are open to
/// every authenticated user (`system:discovery`).
struct RBACAuthorizer: Sendable {
    let store: ObjectStore

    func allows(_ identity: RequestIdentity, _ attributes: RequestAttributes) async -> Bool {
        guard case .serviceAccount(let namespace, let name) = identity else { return true }
        guard let target = attributes.target else { return true }
        let requestNamespace = target.definition.namespaced ? target.namespace : nil
        var rules: [JSONValue] = []
        for binding in await store.objects(of: .clusterRoleBindings, namespace: nil)
        where Self.binds(binding, namespace: namespace, name: name, bindingNamespace: nil) {
            rules += await roleRules(binding, bindingNamespace: nil)
        }
        if let requestNamespace {
            for binding in await store.objects(of: .roleBindings, namespace: requestNamespace)
            where Self.binds(binding, namespace: namespace, name: name, bindingNamespace: requestNamespace) {
                rules += await roleRules(binding, bindingNamespace: requestNamespace)
            }
        }
        let resource = target.subresource.map { "\(target.definition.resource.plural)/\($0)" } ?? target.definition.resource.plural
        // A create names no object yet: rules restricted by name never allow it.
        let objectName = attributes.verb == "create" && target.subresource == nil ? nil : target.name
        return rules.contains { Self.matches($0, group: target.definition.resource.group, resource: resource,
                                              verb: attributes.verb, name: objectName) }
    }

    private static func binds(_ binding: JSONValue, namespace: String, name: String, bindingNamespace: String?) -> Bool {
        (binding["subjects"]?.arrayValue ?? []).contains { subject in
            subject["kind"]?.stringValue == "ServiceAccount" && subject["name"]?.stringValue == name
                && (subject["namespace"]?.stringValue ?? bindingNamespace) == namespace
        }
    }

    private func roleRules(_ binding: JSONValue, bindingNamespace: String?) async -> [JSONValue] {
        guard let kind = binding[path: ["roleRef", "kind"]]?.stringValue,
              let roleName = binding[path: ["roleRef", "name"]]?.stringValue
        else { return [] }
        let role: JSONValue?
        switch kind {
        case "ClusterRole":
            role = await store.get(.clusterRoles, key: ObjectKey(namespace: "", name: roleName))
        case "Role" where bindingNamespace != nil:
            role = await store.get(.roles, key: ObjectKey(namespace: bindingNamespace ?? "", name: roleName))
        default:
            role = nil
        }
        return role?["rules"]?.arrayValue ?? []
    }

    static func matches(_ rule: JSONValue, group: String, resource: String, verb: String, name: String?) -> Bool {
        func strings(_ field: String) -> [String] { (rule[field]?.arrayValue ?? []).compactMap(\.stringValue) }
        let groups = strings("apiGroups"), resources = strings("resources"), verbs = strings("verbs")
        let names = strings("resourceNames")
        guard groups.contains(group) || groups.contains("*") else { return false }
        guard resources.contains(resource) || resources.contains("*") else { return false }
        guard verbs.contains(verb) || verbs.contains("*") else { return false }
        guard names.isEmpty else { return name.map(names.contains) ?? false }
        return true
    }
}
