import Foundation
public import KubeClient
public import Logging
public import SealKit

/// Turns one SealedSecret into its Secret (DESIGN 1.4) and reports the outcome on the
/// SealedSecret's status, as Events and as metrics. Called by the workers with a
/// `namespace/name` key; throwing asks for a retry with backoff.
public final class Reconciler: Sendable {
    public struct Settings: Sendable {
        /// Write `status` (Bitnami's `--update-status`, on by default).
        public var updateStatus: Bool

        public init(updateStatus: Bool = true) {
            self.updateStatus = updateStatus
        }
    }

    let client: KubeClient
    let keys: KeyStore
    let templates: (any TemplateDataRendering)?
    let sealedSecrets: ObjectCache
    let unsealCache: UnsealCache
    let events: EventRecorder
    let metrics: ControllerMetrics
    let settings: Settings
    let logger: Logger
    /// Which key fingerprints each SealedSecret needs, for the objects-per-key gauge.
    let keyUsage = KeyUsage()

    public init(client: KubeClient, keys: KeyStore, templates: (any TemplateDataRendering)?, sealedSecrets: ObjectCache,
                unsealCache: UnsealCache = UnsealCache(), metrics: ControllerMetrics, settings: Settings = Settings(), logger: Logger) {
        self.client = client
        self.keys = keys
        self.templates = templates
        self.sealedSecrets = sealedSecrets
        self.unsealCache = unsealCache
        self.events = EventRecorder(client: client, logger: logger)
        self.metrics = metrics
        self.settings = settings
        self.logger = logger
    }

    /// Why a reconcile failed: retried by the queue, and already reported on the object.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public func reconcile(key: String) async throws(Failure) {
        metrics.recordUnsealRequest()
        guard let sealedSecret = sealedSecrets[key] else {
            // Deleted: its Secret goes by garbage collection through the owner reference.
            unsealCache.forget(key)
            metrics.recordObjectsPerKey(keyUsage.forget(key))
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 { metrics.forgetConditions(namespace: parts[0], name: parts[1]) }
            return
        }
        let namespace = sealedSecret.namespace ?? ""
        let ring = keys.current
        let keySet = ring.keys.map(\.fingerprint).joined(separator: ",")

        let existing: KubeObject?
        do {
            existing = try await secret(namespace: namespace, name: sealedSecret.name ?? "")
        } catch {
            metrics.recordUnsealError(reason: "fetch", namespace: namespace)
            throw Failure(description: "cannot read Secret \(key): \(error)")
        }
        if unsealCache.isCurrent(sealedSecret, keySet: keySet, existing: existing) {
            try await report(sealedSecret, error: nil)
            return
        }

        // Unseal: on any failure the existing Secret is left exactly as it is.
        let desired: Secret
        metrics.recordDecryption()
        do {
            let parsed = try SealedSecret(node: sealedSecret.node)
            let (secret, used) = try ring.unsealer(templates: templates).unsealReportingKeys(parsed)
            desired = secret
            let unsealing = ring.unsealingKeys
            metrics.recordObjectsPerKey(keyUsage.record(key, fingerprints: Set(used.map { unsealing[$0].fingerprint })))
        } catch {
            var message = error.conditionMessage
            metrics.recordUnsealError(reason: "unseal", namespace: namespace)
            if let compromised = compromisedKey(for: sealedSecret, ring: ring) {
                message = "sealed to compromised key \(compromised.fingerprint) (\(compromised.name)); re-seal it with the current certificate"
                await events.record(.warning, reason: "KeyCompromised", message: message, on: sealedSecret)
            } else {
                await events.record(.warning, reason: "ErrUnsealFailed", message: "Failed to unseal: \(message)", on: sealedSecret)
            }
            try await report(sealedSecret, error: message)
            throw Failure(description: "cannot unseal \(key): \(message)")
        }

        let written: KubeObject
        do {
            written = try await write(desired, existing: existing, owner: sealedSecret)
        } catch let error as WriteRefused {
            metrics.recordUnsealError(reason: "unmanaged", namespace: namespace)
            await events.record(.warning, reason: "ErrUpdateFailed", message: error.reason, on: sealedSecret)
            try await report(sealedSecret, error: "failed update: \(error.reason)")
            throw Failure(description: "\(key): \(error.reason)")
        } catch {
            metrics.recordUnsealError(reason: "update", namespace: namespace)
            await events.record(.warning, reason: "ErrUpdateFailed", message: "\(error)", on: sealedSecret)
            try await report(sealedSecret, error: "\(error)")
            throw Failure(description: "cannot write Secret \(key): \(error)")
        }
        unsealCache.remember(sealedSecret, keySet: keySet, written: written)
        await events.record(.normal, reason: "Unsealed", message: "SealedSecret unsealed successfully", on: sealedSecret)
        try await report(sealedSecret, error: nil)
    }

    /// The compromised key that would open this object, if any: such an object is refused,
    /// and its owners are told to re-seal it.
    private func compromisedKey(for object: KubeObject, ring: KeyRing) -> SealingKey? {
        guard !ring.compromised.isEmpty, let sealed = try? SealedSecret(node: object.node) else { return nil }
        for key in ring.compromised where (try? Unsealer(keys: [key.privateKey]).decryptItems(sealed)) != nil {
            return key
        }
        return nil
    }

    private struct WriteRefused: Error {
        let reason: String
    }

    private func secret(namespace: String, name: String) async throws(KubeError) -> KubeObject? {
        do { return try await client.get(.secrets, namespace: namespace, name: name) } catch where error.isNotFound {
            return nil
        }
    }

    /// Applies the write rules; returns the Secret as it now stands.
    private func write(_ desired: Secret, existing: KubeObject?, owner: KubeObject) async throws -> KubeObject {
        let namespace = owner.namespace ?? ""
        switch SecretWritePlan.plan(desired: desired, existing: existing, ownerUID: owner.uid) {
        case .create(let object):
            return try await client.create(.secrets, namespace: namespace, object)
        case .update(let object):
            return try await client.update(.secrets, object)
        case .unchanged:
            return existing!
        case .recreate(let old, let fresh):
            try await client.delete(.secrets, namespace: namespace, name: old.name ?? "")
            return try await client.create(.secrets, namespace: namespace, fresh)
        case .refuse(let reason):
            throw WriteRefused(reason: reason)
        }
    }

    /// Writes status only when it changes (or the generation moved), and mirrors it in metrics.
    private func report(_ sealedSecret: KubeObject, error: String?) async throws(Failure) {
        let previous = SyncStatus(node: sealedSecret["status"])
        let next = previous.updated(generation: sealedSecret.generation, error: error)
        metrics.recordCondition(namespace: sealedSecret.namespace ?? "", name: sealedSecret.name ?? "", condition: "Synced",
                                status: next.synced)
        guard settings.updateStatus, next != previous else { return }
        var object = sealedSecret
        object["status"] = next.node()
        do {
            _ = try await client.updateStatus(.sealedSecrets, object)
        } catch {
            if error.isNotFound { return }
            metrics.recordUnsealError(reason: "status", namespace: sealedSecret.namespace ?? "")
            // A 409 means a newer version exists; the watch delivers it and it is reconciled again.
            throw Failure(description: "cannot update status of \(sealedSecret.key): \(error)")
        }
    }
}

import Synchronization

/// SealedSecret → the key fingerprints it needs; totals per key feed a gauge.
final class KeyUsage: Sendable {
    private let byObject = Mutex<[String: Set<String>]>([:])

    /// Records `key`'s fingerprints; returns the new per-key totals.
    func record(_ key: String, fingerprints: Set<String>) -> [String: Int] {
        byObject.withLock { objects in
            let previous = objects[key] ?? []
            objects[key] = fingerprints
            return Self.totals(objects, including: previous)
        }
    }

    func forget(_ key: String) -> [String: Int] {
        byObject.withLock { objects in
            let previous = objects.removeValue(forKey: key) ?? []
            return Self.totals(objects, including: previous)
        }
    }

    /// Counts per fingerprint, with zero for keys that just lost their last object.
    private static func totals(_ objects: [String: Set<String>], including previous: Set<String>) -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: previous.map { ($0, 0) })
        for fingerprints in objects.values {
            for fingerprint in fingerprints { counts[fingerprint, default: 0] += 1 }
        }
        return counts
    }
}
