public import Foundation
public import KubeClient
public import Logging
public import SealKit

/// Records core/v1 Events on SealedSecrets (`Unsealed`, `ErrUnsealFailed`, `ErrUpdateFailed`,
/// as Bitnami's controller does), so `kubectl describe sealedsecret` shows what happened.
/// Recording is best effort: a failed Event write is logged, never fatal.
public struct EventRecorder: Sendable {
    public enum Kind: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    public static let component = "sealed-secrets"

    let client: KubeClient
    let logger: Logger

    public init(client: KubeClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func record(_ kind: Kind, reason: String, message: String, on object: KubeObject, now: Date = Date()) async {
        let timestamp = KubeTimestamp.string(from: now)
        let namespace = object.namespace ?? "default"
        var involved = Mapping()
        involved["apiVersion"] = object["apiVersion"] ?? .string(ResourceType.sealedSecrets.apiVersion)
        involved["kind"] = object["kind"] ?? .string(ResourceType.sealedSecrets.kind)
        involved["name"] = .string(object.name ?? "")
        involved["namespace"] = .string(namespace)
        if let uid = object.uid { involved["uid"] = .string(uid) }
        if let version = object.resourceVersion { involved["resourceVersion"] = .string(version) }

        let event = Node.mapping(Mapping([
            "apiVersion": .string("v1"),
            "kind": .string("Event"),
            "metadata": .mapping(Mapping(["generateName": .string("\(object.name ?? "sealedsecret")."), "namespace": .string(namespace)])),
            "involvedObject": .mapping(involved),
            "reason": .string(reason),
            "message": .string(message),
            "type": .string(kind.rawValue),
            "source": .mapping(Mapping(["component": .string(Self.component)])),
            "reportingComponent": .string(Self.component),
            "firstTimestamp": .string(timestamp),
            "lastTimestamp": .string(timestamp),
            "count": .int(1),
        ]))
        do {
            _ = try await client.create(.events, namespace: namespace, KubeObject(event))
        } catch {
            logger.warning("cannot record event", metadata: ["reason": "\(reason)", "object": "\(object.key)", "error": "\(error)"])
        }
    }
}
