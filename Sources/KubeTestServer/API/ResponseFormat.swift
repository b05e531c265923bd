import Foundation

/// The representation a client asked for in its `Accept` header.
///
/// `kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io` first and falls back
/// to plain JSON; metadata-only informers ask for `as=PartialObjectMetadataList`. Aggregated
/// discovery (`as=APIGroupDiscoveryList`) is not offered, so clients fall back to the classic
/// discovery documents, as they do against older servers.
enum ResponseFormat: Sendable, Equatable {
    /// The objects themselves (`application/json`).
    case object
    /// A `meta.k8s.io` `Table` of the given version (`v1` or `v1beta1`).
    case table(version: String)
    /// `PartialObjectMetadata` (`list` false) or `PartialObjectMetadataList` (`list` true) of
    /// the given version. Like the real server, a list must ask for the list kind and a single
    /// object or a watch for the object kind; the other way round is a 406.
    case partialObjectMetadata(version: String, list: Bool)

    /// The first acceptable representation in `accept`, in the client's order.
    static func negotiate(_ accept: String?) throws(KubeAPIError) -> ResponseFormat {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return .object }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let mediaType = parts.first?.lowercased() ?? ""
            var parameters: [String: String] = [:]
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { parameters[pair[0].lowercased()] = pair[1] }
            }
            guard ["application/json", "application/*", "*/*"].contains(mediaType) else { continue }
            switch parameters["as"] {
            case nil:
                return .object
            case "Table" where parameters["g"] == "meta.k8s.io" && ["v1", "v1beta1"].contains(parameters["v"] ?? ""):
                return .table(version: parameters["v"]!)
            case "PartialObjectMetadata", "PartialObjectMetadataList":
                guard parameters["g"] == "meta.k8s.io", ["v1", "v1beta1"].contains(parameters["v"] ?? "") else { continue }
                return .partialObjectMetadata(version: parameters["v"]!, list: parameters["as"] == "PartialObjectMetadataList")
            default:
                continue
            }
        }
        throw .notAcceptable
    }
}
