/// The resources this server serves, grouped the way discovery reports them.
///
/// This is the test cluster's equivalent of the built-in API groups plus the SealedSecret CRD
/// (installed as SealKit's controller/deploy manifests install it: `bitnami.com/v1alpha1`,
/// namespaced, status subresource, the Status/Synced/Age printer columns).
struct ResourceCatalog: Sendable {
    let definitions: [ResourceDefinition]

    /// The definition for `resource`, if served.
    func definition(for resource: KubeResource) -> ResourceDefinition? {
        definitions.first { $0.resource == resource }
    }

    /// The definition for a plural name within a group version, as found in a URL.
    func definition(group: String, version: String, plural: String) -> ResourceDefinition? {
        definition(for: KubeResource(group: group, version: version, plural: plural))
    }

    /// The served group versions in discovery order, core (`""`) first.
    var groupVersions: [(group: String, version: String)] {
        var seen: [String] = []
        var result: [(group: String, version: String)] = []
        for definition in definitions where !seen.contains(definition.apiVersion) {
            seen.append(definition.apiVersion)
            result.append((definition.resource.group, definition.resource.version))
        }
        return result
    }

    /// The definitions served under one group version.
    func definitions(group: String, version: String) -> [ResourceDefinition] {
        definitions.filter { $0.resource.group == group && $0.resource.version == version }
    }

    static let standard = ResourceCatalog(definitions: [
        .secrets, .configMaps, .services, .events, .namespaces, .leases, .sealedSecrets,
        .serviceAccounts, .roles, .clusterRoles, .roleBindings, .clusterRoleBindings, .customResourceDefinitions,
    ])
}

// MARK: - Definitions

/// Metadata fields every object may carry; anything else under `metadata` is pruned.
let knownMetadataFields: Set<String> = [
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers", "managedFields",
]

/// Strategic-merge list strategies that `ObjectMeta` declares for every kind.
private let metadataListStrategies: [[String]: ListMergeStrategy] = [
    ["metadata", "ownerReferences"]: .mergeByKey("uid"),
    ["metadata", "finalizers"]: .mergePrimitives,
]

extension ResourceDefinition {
    static let secrets = ResourceDefinition(
        resource: .secrets, kind: "Secret", singular: "secret", namespaced: true,
        shortNames: [], categories: [], subresources: [],
        generationPolicy: .untracked, isCustomResource: false, nameFormat: .dnsSubdomain,
        knownFields: ["apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable"],
        listStrategies: metadataListStrategies,
        selectableFields: ["type"],
        columns: [
            .string("Type", path: ["type"], description: "The type of the secret"),
            TableColumn(name: "Data", type: "integer", format: "", description: "The number of entries in the secret",
                        priority: 0) { object, _ in .int(Int64(object["data"]?.objectValue?.count ?? 0)) },
            .age,
        ],
        admission: SecretAdmission())

    static let configMaps = ResourceDefinition(
        resource: .configMaps, kind: "ConfigMap", singular: "configmap", namespaced: true,
        shortNames: ["cm"], categories: [], subresources: [],
        generationPolicy: .untracked, isCustomResource: false, nameFormat: .dnsSubdomain,
        knownFields: ["apiVersion", "kind", "metadata", "data", "binaryData", "immutable"],
        listStrategies: metadataListStrategies,
        selectableFields: [],
        columns: [
            TableColumn(name: "Data", type: "integer", format: "", description: "The number of entries in the config map",
                        priority: 0) { object, _ in
                .int(Int64((object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)))
            },
            .age,
        ],
        admission: ConfigMapAdmission())

    static let services = ResourceDefinition(
        resource: .services, kind: "Service", singular: "service", namespaced: true,
        shortNames: ["svc"], categories: ["all"], subresources: ["status", "proxy"],
        generationPolicy: .untracked, isCustomResource: false, nameFormat: .dns1035Label,
        knownFields: ["apiVersion", "kind", "metadata", "spec", "status"],
        listStrategies: metadataListStrategies.merging([["spec", "ports"]: .mergeByKey("port")]) { $1 },
        selectableFields: ["spec.clusterIP", "spec.type"],
        columns: [
            .string("Type", path: ["spec", "type"], description: "The type of the service"),
            .string("Cluster-IP", path: ["spec", "clusterIP"], description: "The cluster IP of the service"),
            TableColumn(name: "External-IP", type: "string", format: "", description: "External IPs of the service",
                        priority: 0) { object, _ in
                let ips = (object[path: ["spec", "externalIPs"]]?.arrayValue ?? []).compactMap(\.stringValue)
                return .string(ips.isEmpty ? "<none>" : ips.joined(separator: ","))
            },
            TableColumn(name: "Port(s)", type: "string", format: "", description: "The ports of the service",
                        priority: 0) { object, _ in
                let ports = (object[path: ["spec", "ports"]]?.arrayValue ?? []).map { port in
                    "\(port["port"]?.intValue ?? 0)/\(port["protocol"]?.stringValue ?? "TCP")"
                }
                return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
            },
            .age,
            TableColumn(name: "Selector", type: "string", format: "", description: "The selector of the service",
                        priority: 1) { object, _ in
                let selector = (object[path: ["spec", "selector"]]?.objectValue ?? [:])
                    .compactMapValues(\.stringValue).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                return .string(selector.isEmpty ? "<none>" : selector.joined(separator: ","))
            },
        ],
        admission: ServiceAdmission())

    static let events = ResourceDefinition(
        resource: .events, kind: "Event", singular: "event", namespaced: true,
        shortNames: ["ev"], categories: [], subresources: [],
        generationPolicy: .untracked, isCustomResource: false, nameFormat: .dnsSubdomain,
        knownFields: nil,
        listStrategies: metadataListStrategies,
        selectableFields: [
            "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
            "reason", "reportingComponent", "source", "type",
        ],
        columns: [
            .string("Type", path: ["type"], description: "The type of the event"),
            .string("Reason", path: ["reason"], description: "The reason for the event"),
            TableColumn(name: "Object", type: "string", format: "", description: "The object the event is about",
                        priority: 0) { object, _ in
                let kind = (object[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased()
                let name = object[path: ["involvedObject", "name"]]?.stringValue ?? ""
                return .string("\(kind)/\(name)")
            },
            .string("Message", path: ["message"], description: "A human-readable description of the event"),
            .age,
        ],
        admission: NoAdmissionRules())

    static let namespaces = ResourceDefinition(
        resource: .namespaces, kind: "Namespace", singular: "namespace", namespaced: false,
        shortNames: ["ns"], categories: [], subresources: ["status"],
        generationPolicy: .untracked, isCustomResource: false, nameFormat: .dnsLabel,
        knownFields: ["apiVersion", "kind", "metadata", "spec", "status"],
        listStrategies: metadataListStrategies,
        selectableFields: ["status.phase"],
        columns: [
            .string("Status", path: ["status", "phase"], description: "The status of the namespace"),
            .age,
        ],
        admission: NamespaceAdmission())

    /// Leases have a `spec` but, as in the real Lease strategy, no generation tracking.
    static let leases = ResourceDefinition(
        resource: .leases, kind: "Lease", singular: "lease", namespaced: true,
        shortNames: [], categories: [], subresources: [],
        generationPolicy: .untracked, isCustomResource: false, nameFormat: .dnsSubdomain,
        knownFields: ["apiVersion", "kind", "metadata", "spec"],
        listStrategies: metadataListStrategies,
        selectableFields: [],
        columns: [
            .string("Holder", path: ["spec", "holderIdentity"], description: "The holder of the lease", fallback: ""),
            .age,
        ],
        admission: NoAdmissionRules())

    static let sealedSecrets = ResourceDefinition(
        resource: .sealedSecrets, kind: "SealedSecret", singular: "sealedsecret", namespaced: true,
        shortNames: [], categories: [], subresources: ["status"],
        generationPolicy: .desiredState, isCustomResource: true, nameFormat: .dnsSubdomain,
        knownFields: ["apiVersion", "kind", "metadata", "spec", "status"],
        listStrategies: [:],
        selectableFields: [],
        columns: [
            TableColumn(name: "Status", type: "string", format: "", description: "", priority: 0) { object, _ in
                object[path: ["status", "conditions"]]?.arrayValue?.first?["message"] ?? .null
            },
            TableColumn(name: "Synced", type: "string", format: "", description: "", priority: 0) { object, _ in
                object[path: ["status", "conditions"]]?.arrayValue?.first?["status"] ?? .null
            },
            TableColumn(name: "Age", type: "date", format: "", description: "", priority: 0) { object, now in
                .string(HumanDuration.age(of: object.creationTimestamp, now: now))
            },
        ],
        admission: NoAdmissionRules())

    /// CustomResourceDefinitions are stored, validated and reported `Established`, but do not
    /// change what is served: the SealedSecret resource exists with or without its CRD.
    static let customResourceDefinitions = ResourceDefinition(
        resource: .customResourceDefinitions, kind: "CustomResourceDefinition", singular: "customresourcedefinition",
        namespaced: false, shortNames: ["crd", "crds"], categories: ["api-extensions"], subresources: ["status"],
        generationPolicy: .desiredState, isCustomResource: false, nameFormat: .dnsSubdomain,
        knownFields: ["apiVersion", "kind", "metadata", "spec", "status"],
        listStrategies: metadataListStrategies,
        selectableFields: [],
        columns: [
            TableColumn(name: "Created At", type: "date", format: "", description: "", priority: 0) { object, _ in
                object[path: ["metadata", "creationTimestamp"]] ?? .null
            },
        ],
        admission: CustomResourceDefinitionAdmission())

    static let serviceAccounts = ResourceDefinition(
        resource: .serviceAccounts, kind: "ServiceAccount", singular: "serviceaccount", namespaced: true,
        shortNames: ["sa"], categories: [], subresources: [],
        generationPolicy: .untracked, isCustomResource: false, nameFormat: .dnsSubdomain,
        knownFields: ["apiVersion", "kind", "metadata", "secrets", "imagePullSecrets", "automountServiceAccountToken"],
        listStrategies: metadataListStrategies, selectableFields: [], columns: [.age], admission: NoAdmissionRules())

    static let roles = rbac(.roles, kind: "Role", singular: "role", namespaced: true, fields: ["rules"])
    static let clusterRoles = rbac(.clusterRoles, kind: "ClusterRole", singular: "clusterrole", namespaced: false,
                                   fields: ["rules", "aggregationRule"])
    static let roleBindings = rbac(.roleBindings, kind: "RoleBinding", singular: "rolebinding", namespaced: true,
                                   fields: ["subjects", "roleRef"])
    static let clusterRoleBindings = rbac(.clusterRoleBindings, kind: "ClusterRoleBinding", singular: "clusterrolebinding",
                                          namespaced: false, fields: ["subjects", "roleRef"])

    private static func rbac(_ resource: KubeResource, kind: String, singular: String, namespaced: Bool, fields: Set<String>)
        -> ResourceDefinition
    {
        ResourceDefinition(
            resource: resource, kind: kind, singular: singular, namespaced: namespaced,
            shortNames: [], categories: [], subresources: [],
            generationPolicy: .untracked, isCustomResource: false, nameFormat: .dnsSubdomain,
            knownFields: fields.union(["apiVersion", "kind", "metadata"]),
            listStrategies: metadataListStrategies, selectableFields: [], columns: [.age], admission: NoAdmissionRules())
    }
}
