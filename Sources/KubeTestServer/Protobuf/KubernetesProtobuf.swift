/// Decodes `application/vnd.kubernetes.protobuf` request bodies, which kubectl's typed
/// commands send (`kubectl create namespace`, `create secret generic`, `create configmap`,
/// `create service`, and typed deletes).
///
/// A body is the magic `k8s\0` followed by a `runtime.Unknown` envelope (`typeMeta` = 1 with
/// `apiVersion` = 1 and `kind` = 2; `raw` = 2). The kinds below are decoded with their field
/// numbers from `k8s.io/api/core/v1/generated.proto` and
/// `k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto`; other kinds are refused with 415.
enum KubernetesProtobuf {
    static let mediaType = "application/vnd.kubernetes.protobuf"

    /// The JSON object a protobuf body carries.
    static func decode(_ body: [UInt8]) throws(KubeAPIError) -> JSONValue {
        let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]
        guard body.starts(with: magic) else {
            throw .badRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
        do {
            let envelope = try unknown.decode(body[4...])
            let apiVersion = envelope[path: ["typeMeta", "apiVersion"]]?.stringValue ?? ""
            let kind = envelope[path: ["typeMeta", "kind"]]?.stringValue ?? ""
            guard let schema = messages[kind] else {
                throw KubeAPIError.unsupportedMediaType("\(mediaType) (\(kind))", accepted: ["application/json"])
            }
            var object = try schema.decode(raw(body))
            object["apiVersion"] = .string(apiVersion.isEmpty ? "v1" : apiVersion)
            object["kind"] = .string(kind)
            return object
        } catch let error as KubeAPIError {
            throw error
        } catch {
            throw .badRequest("unable to decode protobuf body: \(error)")
        }
    }

    /// The `raw` bytes of the envelope.
    private static func raw(_ body: [UInt8]) throws(ProtobufError) -> ArraySlice<UInt8> {
        var reader = ProtobufReader(body[4...])
        while !reader.isAtEnd {
            let (field, value) = try reader.next()
            if field == 2, case .bytes(let raw) = value { return raw }
        }
        return []
    }

    private static let unknown = ProtobufMessage(fields: [
        1: ("typeMeta", .message(ProtobufMessage(fields: [1: ("apiVersion", .string), 2: ("kind", .string)]))),
        3: ("contentEncoding", .string),
        4: ("contentType", .string),
    ])

    private static let ownerReference = ProtobufMessage(fields: [
        1: ("kind", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
        6: ("controller", .bool), 7: ("blockOwnerDeletion", .bool),
    ])

    private static let objectMeta = ProtobufMessage(fields: [
        1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 4: ("selfLink", .string),
        5: ("uid", .string), 6: ("resourceVersion", .string), 7: ("generation", .int),
        8: ("creationTimestamp", .time), 9: ("deletionTimestamp", .time), 10: ("deletionGracePeriodSeconds", .int),
        11: ("labels", .map(.string)), 12: ("annotations", .map(.string)),
        13: ("ownerReferences", .repeated(.message(ownerReference))), 14: ("finalizers", .repeated(.string)),
    ])

    private static let servicePort = ProtobufMessage(fields: [
        1: ("name", .string), 2: ("protocol", .string), 3: ("port", .int), 4: ("targetPort", .intOrString),
        5: ("nodePort", .int), 6: ("appProtocol", .string),
    ])

    private static let serviceSpec = ProtobufMessage(fields: [
        1: ("ports", .repeated(.message(servicePort))), 2: ("selector", .map(.string)), 3: ("clusterIP", .string),
        4: ("type", .string), 5: ("externalIPs", .repeated(.string)), 7: ("sessionAffinity", .string),
        8: ("loadBalancerIP", .string), 9: ("loadBalancerSourceRanges", .repeated(.string)),
        10: ("externalName", .string), 11: ("externalTrafficPolicy", .string), 12: ("healthCheckNodePort", .int),
        13: ("publishNotReadyAddresses", .bool), 17: ("ipFamilyPolicy", .string),
        18: ("clusterIPs", .repeated(.string)), 19: ("ipFamilies", .repeated(.string)),
        20: ("allocateLoadBalancerNodePorts", .bool), 21: ("loadBalancerClass", .string),
        22: ("internalTrafficPolicy", .string),
    ])

    private static let messages: [String: ProtobufMessage] = [
        "Secret": ProtobufMessage(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(.bytes)), 3: ("type", .string),
            4: ("stringData", .map(.string)), 5: ("immutable", .bool),
        ]),
        "ConfigMap": ProtobufMessage(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("data", .map(.string)), 3: ("binaryData", .map(.bytes)),
            4: ("immutable", .bool),
        ]),
        "Namespace": ProtobufMessage(fields: [
            1: ("metadata", .message(objectMeta)),
            2: ("spec", .message(ProtobufMessage(fields: [1: ("finalizers", .repeated(.string))]))),
        ]),
        "Service": ProtobufMessage(fields: [
            1: ("metadata", .message(objectMeta)), 2: ("spec", .message(serviceSpec)),
        ]),
        "DeleteOptions": ProtobufMessage(fields: [
            1: ("gracePeriodSeconds", .int),
            2: ("preconditions", .message(ProtobufMessage(fields: [1: ("uid", .string), 2: ("resourceVersion", .string)]))),
            3: ("orphanDependents", .bool), 4: ("propagationPolicy", .string), 5: ("dryRun", .repeated(.string)),
        ]),
    ]
}
