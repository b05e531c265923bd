import Foundation

/// What a request path addresses: a discovery document, or a resource endpoint.
enum APIRoute: Sendable {
    case version
    case health
    /// `/api`
    case coreVersions
    /// `/apis`
    case groupList
    /// `/apis/<group>`
    case group(String)
    /// `/api/v1`, `/apis/<group>/<version>`
    case resourceList(group: String, version: String)
    /// `/openapi/v3`
    case openAPIRoot
    /// `/openapi/v3/api/v1`, `/openapi/v3/apis/<group>/<version>`
    case openAPIGroupVersion(group: String, version: String)
    case resource(ResourceTarget)
}

/// A resource endpoint: a collection, one object, or one object's subresource.
struct ResourceTarget: Sendable {
    let definition: ResourceDefinition
    /// The namespace from the path; `nil` for cluster-scoped resources and for
    /// all-namespaces collections.
    let namespace: String?
    /// The object name; `nil` for a collection.
    let name: String?
    /// `status` or `proxy`.
    let subresource: String?
    /// For `proxy`: the rest of the path after `/proxy`, starting with `/` (or empty).
    let proxyPath: String
    /// Addressed through the deprecated `/watch/` prefix.
    let legacyWatch: Bool

    var key: ObjectKey? {
        name.map { ObjectKey(namespace: namespace ?? "", name: $0) }
    }
}

extension APIRoute {
    /// Resolves `path` against the catalog; unknown paths are a 404 like the real server's.
    static func parse(_ path: String, catalog: ResourceCatalog) throws(KubeAPIError) -> APIRoute {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        let trailingSlash = segments.count > 1 && segments.last == ""
        let trimmed = trailingSlash ? Array(segments.dropLast()) : segments
        switch trimmed.first {
        case "version":
            guard trimmed.count == 1 else { break }
            return .version
        case "healthz", "livez", "readyz":
            return .health
        case "api":
            if trimmed.count == 1 { return .coreVersions }
            guard trimmed[1] == "v1" else { break }
            if trimmed.count == 2 { return .resourceList(group: "", version: "v1") }
            return try resource(group: "", version: "v1", rest: Array(trimmed[2...]), trailingSlash: trailingSlash,
                                catalog: catalog)
        case "apis":
            if trimmed.count == 1 { return .groupList }
            let group = trimmed[1]
            guard catalog.groupVersions.contains(where: { $0.group == group }) else { break }
            if trimmed.count == 2 { return .group(group) }
            let version = trimmed[2]
            guard catalog.groupVersions.contains(where: { $0 == (group, version) }) else { break }
            if trimmed.count == 3 { return .resourceList(group: group, version: version) }
            return try resource(group: group, version: version, rest: Array(trimmed[3...]),
                                trailingSlash: trailingSlash, catalog: catalog)
        case "openapi":
            guard trimmed.count >= 2, trimmed[1] == "v3" else { break }
            if trimmed.count == 2 { return .openAPIRoot }
            if trimmed.count == 4, trimmed[2] == "api", trimmed[3] == "v1" {
                return .openAPIGroupVersion(group: "", version: "v1")
            }
            if trimmed.count == 5, trimmed[2] == "apis",
               catalog.groupVersions.contains(where: { $0 == (trimmed[3], trimmed[4]) }) {
                return .openAPIGroupVersion(group: trimmed[3], version: trimmed[4])
            }
        default:
            break
        }
        throw .pathNotFound
    }

    /// Parses the part after `/api/v1` or `/apis/<group>/<version>`.
    private static func resource(
        group: String, version: String, rest: [String], trailingSlash: Bool, catalog: ResourceCatalog
    ) throws(KubeAPIError) -> APIRoute {
        var rest = rest
        var legacyWatch = false
        if rest.first == "watch" {
            legacyWatch = true
            rest.removeFirst()
        }
        var namespace: String?
        // `namespaces/<ns>/<namespaced resource>/...` scopes to a namespace; anything else under
        // `namespaces/` addresses Namespace objects themselves.
        if rest.count >= 3, rest[0] == "namespaces",
           let scoped = catalog.definition(group: group, version: version, plural: rest[2]), scoped.namespaced {
            namespace = decode(rest[1])
            rest.removeFirst(2)
        }
        guard let plural = rest.first,
              let definition = catalog.definition(group: group, version: version, plural: plural)
        else {
            throw .pathNotFound
        }
        if definition.namespaced && namespace == nil && rest.count > 1 {
            // A namespaced object must be addressed inside its namespace.
            throw .pathNotFound
        }
        let name = rest.count > 1 ? decode(rest[1]) : nil
        var subresource: String?
        var proxyPath = ""
        if rest.count > 2 {
            subresource = rest[2]
            guard definition.subresources.contains(rest[2]) else { throw .pathNotFound }
            if rest[2] == "proxy" {
                // The proxied path is forwarded as sent, including a trailing slash.
                proxyPath = rest.count > 3 ? "/" + rest[3...].joined(separator: "/") : ""
                if trailingSlash { proxyPath += "/" }
            } else if rest.count > 3 {
                throw .pathNotFound
            }
        }
        if legacyWatch && subresource != nil { throw .pathNotFound }
        return .resource(ResourceTarget(
            definition: definition, namespace: namespace, name: name, subresource: subresource,
            proxyPath: proxyPath, legacyWatch: legacyWatch))
    }

    private static func decode(_ segment: String) -> String {
        segment.removingPercentEncoding ?? segment
    }
}
