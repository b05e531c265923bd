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
        /// Unseal the deprecated v1 format (`--accept-deprecated-v1-data`).
        public var acceptV1Data: Bool
        /// Publish `condition_info` (`--metrics-omit-secret-labels` turns it off).
        public var conditionMetrics: Bool

        public init(updateStatus: Bool = true, acceptV1Data: Bool = true, conditionMetrics: Bool = true) {
            self.updateStatus = updateStatus
            self.acceptV1Data = acceptV1Data
            self.conditionMetrics = conditionMetrics
        }
    }

    let client: KubeClient
    let keys: KeyStore
    let templates: (any TemplateDataRendering)?
    let sealedSecrets: ObjectCache
    /// The Secrets the controller owns, from the Secret watch; nil without one (`--skip-recreate`).
    let secrets: SecretIndex?
    let unsealCache: UnsealCache
    let events: EventRecorder
    let metrics: ControllerMetrics
    let settings: Settings
    let logger: Logger
    /// Where unsealing runs: RSA and templates stay off the cooperative pool.
    let pool: WorkerPool
    /// Which key fingerprints each SealedSecret needs, for the objects-per-key gauge.
    let keyUsage = KeyUsage()

    public init(client: KubeClient, keys: KeyStore, templates: (any TemplateDataRendering)?, sealedSecrets: ObjectCache,
                secrets: SecretIndex? = nil, unsealCache: UnsealCache = UnsealCache(), pool: WorkerPool, metrics: ControllerMetrics, settings: Settings = Settings(),
                logger: Logger) {
        self.client = client
        self.keys = keys
        self.templates = templates
        self.sealedSecrets = sealedSecrets
        self.secrets = secrets
        self.unsealCache = unsealCache
        self.pool = pool
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
        guard let ref = sealedSecrets[key] else {
            forgetDeleted(key)
            return
        }
        let namespace = ref.namespace
        let ring = keys.current

        // Unchanged since the last unseal? Then, ideally, nothing is read at all.
        var secret = SecretKnowledge.unknown
        switch unsealCache.verdict(for: ref, ring: ring, secrets: secrets) {
        case .current:
            recordSynced(ref)
            return
        case .checkSecret:
            let existing = try await readSecret(namespace: namespace, name: ref.name, for: key)
            if unsealCache.confirm(ref, existing: existing) {
                recordSynced(ref)
                return
            }
            logger.debug("unsealing", metadata: ["key": "\(key)", "reason": "its Secret is not the one last written"])
            secret = .read(existing)
        case .stale(let reason):
            logger.debug("unsealing", metadata: ["key": "\(key)", "reason": "\(reason.rawValue)"])
        }

        // Work to do: read the whole object (the cache keeps only its metadata).
        let sealedSecret: KubeObject
        do {
            sealedSecret = try await client.get(.sealedSecrets, namespace: namespace, name: ref.name)
        } catch where error.isNotFound {
            return  // deleted meanwhile: the watch reports it
        } catch {
            metrics.recordUnsealError(reason: "fetch", namespace: namespace)
            throw Failure(description: "cannot read SealedSecret \(key): \(error)")
        }
        if case .unknown = secret {
            // The synced Secret watch knows of no Secret of ours: create it without reading it
            // first; one that exists anyway (not ours, or just written) is read on conflict.
            secret = mayHaveSecret(key) ? .read(try await readSecret(namespace: namespace, name: ref.name, for: key)) : .assumedAbsent
        }
        try await unseal(sealedSecret, key: key, ring: ring, secret: secret)
    }

    /// What a reconcile knows of the Secret it is to write.
    enum SecretKnowledge {
        case unknown
        /// Read from the API server (nil: there is none).
        case read(KubeObject?)
        /// Not read: the Secret watch knows of none the controller owns or manages.
        case assumedAbsent
    }

    /// Reads the object's Secret, nil when there is none.
    private func readSecret(namespace: String, name: String, for key: String) async throws(Failure) -> KubeObject? {
        do {
            return try await secret(namespace: namespace, name: name)
        } catch {
            metrics.recordUnsealError(reason: "fetch", namespace: namespace)
            throw Failure(description: "cannot read Secret \(key): \(error)")
        }
    }

    /// Whether a Secret of this name may exist: false only when the synced Secret watch knows
    /// of none the controller owns or manages.
    private func mayHaveSecret(_ key: String) -> Bool {
        guard let secrets, secrets.isSynced else { return true }
        return secrets[key] != nil
    }

    private func forgetDeleted(_ key: String) {
        // Deleted: its Secret goes by garbage collection through the owner reference.
        unsealCache.forget(key)
        metrics.recordObjectsPerKey(keyUsage.forget(key))
        metrics.forgetConditions(key: key)
    }

    /// `condition_info` for an object whose remembered result (and status) still holds.
    private func recordSynced(_ ref: SealedSecretRef) {
        guard settings.conditionMetrics else { return }
        metrics.recordCondition(key: ref.key, instance: ref.instance, condition: "Synced", status: true)
    }

    /// Unseals `sealedSecret` and writes its Secret. A Secret only assumed absent that a
    /// create finds is read, and the write planned again.
    private func unseal(_ sealedSecret: KubeObject, key: String, ring: KeyRing, secret: SecretKnowledge) async throws(Failure) {
        let namespace = sealedSecret.namespace ?? ""
        let existing: KubeObject?
        if case .read(let object) = secret { existing = object } else { existing = nil }
        // Unseal: on any failure the existing Secret is left exactly as it is.
        let desired: Secret
        let usedKeys: [String: KeyState]
        metrics.recordDecryption()
        let unsealing = ring.unsealingKeys
        let unsealer = Unsealer(keys: unsealing.map(\.privateKey), templates: templates, budget: .cluster)
        let preferred = preferredKeys(for: key, among: unsealing)
        let acceptV1Data = settings.acceptV1Data
        let result = await runOnPool { () throws(ManifestError) -> Unsealer.Outcome in
            let parsed = try SealedSecret(node: sealedSecret.node)
            if !acceptV1Data, parsed.encryptedData.isEmpty, parsed.legacyData != nil {
                throw ManifestError("spec.data (the deprecated v1 format) is not accepted (--accept-deprecated-v1-data=false)")
            }
            return try unsealer.unsealReportingKeys(parsed, preferredKeys: preferred)
        }
        switch result {
        case .success(let outcome):
            desired = outcome.secret
            usedKeys = Dictionary(outcome.keysUsed.map { (unsealing[$0].fingerprint, unsealing[$0].state) }, uniquingKeysWith: { a, _ in a })
            metrics.recordRSAAttempts(opened: outcome.valuesOpened, failed: outcome.rsaAttempts - outcome.valuesOpened)
            metrics.recordObjectsPerKey(keyUsage.record(key, fingerprints: Set(usedKeys.keys)))
        case .failure(let failure):
            var message = failure.message
            metrics.recordUnsealError(reason: "unseal", namespace: namespace)
            if let compromised = await compromisedKey(for: sealedSecret, ring: ring) {
                message = "sealed to compromised key \(compromised.fingerprint) (\(compromised.name)); re-seal it with the current certificate"
                await events.record(.warning, reason: "KeyCompromised", message: message, on: sealedSecret)
            } else {
                await events.record(.warning, reason: "ErrUnsealFailed", message: "Failed to unseal: \(message)", on: sealedSecret)
            }
            unsealCache.forget(key)
            try await report(sealedSecret, key: key, error: message)
            throw Failure(description: "cannot unseal \(key): \(message)")
        }

        let written: KubeObject
        do {
            do {
                written = try await write(desired, existing: existing, owner: sealedSecret)
            } catch let error as KubeError where error.isAlreadyExists {
                guard case .assumedAbsent = secret else { throw error }
                let found = try await self.secret(namespace: namespace, name: sealedSecret.name ?? "")
                written = try await write(desired, existing: found, owner: sealedSecret)
            }
        } catch let error as WriteRefused {
            metrics.recordUnsealError(reason: "unmanaged", namespace: namespace)
            await events.record(.warning, reason: "ErrUpdateFailed", message: error.reason, on: sealedSecret)
            try await report(sealedSecret, key: key, error: "failed update: \(error.reason)")
            throw Failure(description: "\(key): \(error.reason)")
        } catch {
            metrics.recordUnsealError(reason: "update", namespace: namespace)
            await events.record(.warning, reason: "ErrUpdateFailed", message: "\(error)", on: sealedSecret)
            try await report(sealedSecret, key: key, error: "\(error)")
            throw Failure(description: "cannot write Secret \(key): \(error)")
        }
        unsealCache.remember(sealedSecret, as: key, keys: usedKeys, written: written)
        // The Event and the status are independent writes: sent together, their answers come
        // back in one wake-up of the event loop rather than two.
        async let recorded: Void = events.record(.normal, reason: "Unsealed", message: "SealedSecret unsealed successfully", on: sealedSecret)
        let reported = await reportResult(sealedSecret, key: key, error: nil)
        await recorded
        try reported.get()
        unsealCache.markReported(key)
    }

    /// Key indices to try first: those that opened this object before, then the keys most
    /// objects need. Only an ordering: every key is still tried before giving up.
    private func preferredKeys(for key: String, among unsealing: [SealingKey]) -> [Int] {
        let fingerprints = unsealing.map(\.fingerprint)
        let hinted = unsealCache.keyHint(for: key)
        let ordered = fingerprints.filter { hinted.contains($0) } + keyUsage.byPopularity(fingerprints.filter { !hinted.contains($0) })
        return ordered.compactMap { fingerprints.firstIndex(of: $0) }
    }

    /// The one line about a failed unseal that may leave the process (status, event, log).
    private struct Reportable: Error {
        let message: String
    }

    /// Runs an unseal on the worker pool.
    private func runOnPool<T: Sendable>(_ work: @escaping @Sendable () throws(ManifestError) -> T) async -> Result<T, Reportable> {
        do {
            return .success(try await pool.run(work))
        } catch let error as ManifestError {
            return .failure(Reportable(message: error.conditionMessage))
        } catch {
            return .failure(Reportable(message: "\(error)"))
        }
    }

    /// The compromised key that would open this object, if any: such an object is refused,
    /// and its owners are told to re-seal it.
    private func compromisedKey(for object: KubeObject, ring: KeyRing) async -> SealingKey? {
        let compromised = ring.compromised
        guard !compromised.isEmpty else { return nil }
        let found = await runOnPool { () throws(ManifestError) -> Int? in
            let sealed = try SealedSecret(node: object.node)
            for (index, key) in compromised.enumerated()
            where (try? Unsealer(keys: [key.privateKey], budget: .cluster).decryptItems(sealed)) != nil {
                return index
            }
            return nil
        }
        guard case .success(let index?) = found else { return nil }
        return compromised[index]
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
            // Only the exact version that was compared may go: if anyone changed it meanwhile,
            // the 409 sends this object round the queue again with the new state.
            try await client.delete(.secrets, namespace: namespace, name: old.name ?? "", uid: old.uid,
                                    resourceVersion: old.resourceVersion)
            return try await createAfterDelete(fresh, namespace: namespace, owner: owner)
        case .refuse(let reason):
            throw WriteRefused(reason: reason)
        }
    }

    /// The Secret was just deleted to be replaced: it must come back. A failed create is retried
    /// (with backoff) rather than left to the queue, which might give up on the object.
    private func createAfterDelete(_ fresh: KubeObject, namespace: String, owner: KubeObject) async throws(KubeError) -> KubeObject {
        var attempt = 0
        while true {
            // Typed throws and a Result rather than do/catch in the loop: Swift 6.3's optimizer
            // crashes (coroutine splitting) on the untyped form of this loop in release builds.
            switch await createResult(fresh, namespace: namespace) {
            case .success(let created):
                return created
            case .failure(let error) where error.isAlreadyExists:
                // Someone (another writer, or a retry that did land) created it: the next
                // reconcile compares against it.
                return try await client.get(.secrets, namespace: namespace, name: fresh.name ?? "")
            case .failure(let error):
                attempt += 1
                logger.warning("re-creating a replaced immutable Secret failed; retrying",
                               metadata: ["secret": "\(namespace)/\(fresh.name ?? "")", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt == 1 {
                    await events.record(.warning, reason: "ErrUpdateFailed",
                                        message: "immutable Secret deleted for replacement, re-creating it failed; retrying: \(error)",
                                        on: owner)
                }
                if Task.isCancelled { throw error }
                try? await Task.sleep(for: .milliseconds(min(100 << min(attempt, 8), 10_000)))
            }
        }
    }

    private func createResult(_ object: KubeObject, namespace: String) async -> Result<KubeObject, KubeError> {
        do { return .success(try await client.create(.secrets, namespace: namespace, object)) } catch { return .failure(error) }
    }

    /// Writes status only when it changes (or the generation moved), and mirrors it in metrics.
    private func report(_ sealedSecret: KubeObject, key: String, error: String?) async throws(Failure) {
        let previous = SyncStatus(node: sealedSecret["status"])
        let next = previous.updated(generation: sealedSecret.generation, error: error)
        if settings.conditionMetrics {
            metrics.recordCondition(key: key, instance: sealedSecret.metadata.labels["app.kubernetes.io/instance"] ?? "", condition: "Synced",
                                    status: next.synced)
        }
        guard settings.updateStatus, next != previous else { return }
        let outcome = error
        var object = sealedSecret
        object["status"] = next.node()
        // A 409 means the object changed since it was read. If its spec did not (same
        // generation: a label, an annotation, another status write), the result stands: read
        // the latest version and write the status onto it, as Bitnami's RetryOnConflict does.
        // Failing instead would retry the whole reconcile, and unseal again.
        for attempt in 1 ... Self.statusConflictAttempts {
            do {
                _ = try await client.updateStatus(.sealedSecrets, object)
                return
            } catch where error.isConflict && attempt < Self.statusConflictAttempts {
                guard let latest = try? await client.get(.sealedSecrets, namespace: sealedSecret.namespace ?? "", name: sealedSecret.name ?? ""),
                      latest.uid == sealedSecret.uid, latest.generation == sealedSecret.generation else { break }
                object = latest
                object["status"] = SyncStatus(node: latest["status"]).updated(generation: latest.generation, error: outcome).node()
            } catch {
                if error.isNotFound { return }
                metrics.recordUnsealError(reason: "status", namespace: sealedSecret.namespace ?? "")
                throw Failure(description: "cannot update status of \(sealedSecret.key): \(error)")
            }
        }
        // The spec changed meanwhile, or the object went: the watch delivers what is new.
        metrics.recordUnsealError(reason: "status", namespace: sealedSecret.namespace ?? "")
        throw Failure(description: "cannot update status of \(sealedSecret.key): it changed while being reconciled")
    }

    /// `report` as a value, for a caller that must finish other work before throwing.
    private func reportResult(_ sealedSecret: KubeObject, key: String, error: String?) async -> Result<Void, Failure> {
        do { return .success(try await report(sealedSecret, key: key, error: error)) } catch { return .failure(error) }
    }

    /// Status writes tried on conflict before the reconcile is retried as a whole.
    static let statusConflictAttempts = 4
}

