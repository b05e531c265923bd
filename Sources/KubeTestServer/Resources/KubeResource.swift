/// Names one kind of stored object by API group, version and plural resource name, the way
/// URLs and RBAC rules name it (`secrets`, `sealedsecrets.bitnami.com`).
///
/// Tests use these constants with the server's direct store API; the HTTP layer resolves
/// the same identifiers from request paths.
public struct KubeResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core (`/api/v1`) group.
    public let group: String
    /// The API version within the group, such as `v1` or `v1alpha1`.
    public let version: String
    /// The lower-case plural resource name used in URLs, such as `secrets`.
    public let plural: String

    public init(group: String, version: String, plural: String) {
        self.group = group
        self.version = version
        self.plural = plural
    }

    /// `secrets` — core/v1 Secrets.
    public static let secrets = KubeResource(group: "", version: "v1", plural: "secrets")
    /// `configmaps` — core/v1 ConfigMaps.
    public static let configMaps = KubeResource(group: "", version: "v1", plural: "configmaps")
    /// `services` — core/v1 Services, the targets of the service proxy.
    public static let services = KubeResource(group: "", version: "v1", plural: "services")
    /// `events` — core/v1 Events, which the controller records.
    public static let events = KubeResource(group: "", version: "v1", plural: "events")
    /// `namespaces` — core/v1 Namespaces (cluster-scoped).
    public static let namespaces = KubeResource(group: "", version: "v1", plural: "namespaces")
    /// `leases.coordination.k8s.io` — leader-election leases.
    public static let leases = KubeResource(group: "coordination.k8s.io", version: "v1", plural: "leases")
    /// `serviceaccounts` — core/v1 ServiceAccounts, the subjects of RBAC bindings.
    public static let serviceAccounts = KubeResource(group: "", version: "v1", plural: "serviceaccounts")
    /// RBAC: `roles`, `clusterroles`, `rolebindings`, `clusterrolebindings` of
    /// `rbac.authorization.k8s.io/v1`, evaluated for service-account tokens.
    public static let roles = KubeResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "roles")
    public static let clusterRoles = KubeResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles")
    public static let roleBindings = KubeResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings")
    public static let clusterRoleBindings = KubeResource(group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings")
    /// `sealedsecrets.bitnami.com` — the SealedSecret custom resource, with a status subresource.
    public static let sealedSecrets = KubeResource(group: "bitnami.com", version: "v1alpha1", plural: "sealedsecrets")
    /// `customresourcedefinitions.apiextensions.k8s.io` — stored and validated, so manifests
    /// that install the SealedSecret CRD apply as on a real cluster; the resources served do
    /// not depend on them (SealedSecrets are always served).
    public static let customResourceDefinitions = KubeResource(group: "apiextensions.k8s.io", version: "v1",
                                                               plural: "customresourcedefinitions")

    /// `v1` for the core group, `group/version` otherwise, as in an object's `apiVersion`.
    public var groupVersion: String {
        group.isEmpty ? version : "\(group)/\(version)"
    }

    /// The group-qualified resource as error messages print it: `secrets`,
    /// `sealedsecrets.bitnami.com`.
    public var description: String {
        group.isEmpty ? plural : "\(plural).\(group)"
    }
}
