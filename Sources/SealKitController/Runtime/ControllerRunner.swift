import Foundation
public import KubeClient
public import Logging
public import SealKit
public import ServiceLifecycle
import Synchronization

/// The controller's work loop, as a lifecycle service: load keys (ready once there is one),
/// follow key Secrets so every replica can serve and unseal with current keys, and — while
/// holding the leader lease — renew keys and reconcile SealedSecrets.
public final class ControllerRunner: Service, Sendable {
    public let configuration: ControllerConfiguration
    public let client: KubeClient
    public let keys: KeyStore
    public let metrics: ControllerMetrics
    let templates: (any TemplateDataRendering)?
    let logger: Logger
    let registry: KeyRegistry
    /// SIGUSR1 requests not yet acted on; the renewal loop takes them all at once.
    let renewalRequests = Atomic<Int>(0)
    let ready = Atomic<Bool>(false)
    /// Unsealing (RSA, templates) runs here, `--workers` threads, never on the cooperative pool.
    let pool: WorkerPool
    /// Returns the heap's free pages after bursts of reconciles.
    let trimmer = HeapTrimmer()

    public init(configuration: ControllerConfiguration, client: KubeClient, keys: KeyStore, metrics: ControllerMetrics,
                templates: (any TemplateDataRendering)?, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.keys = keys
        self.metrics = metrics
        self.templates = templates
        self.logger = logger
        pool = WorkerPool(name: "unseal", threads: max(configuration.workers, 1))
        registry = KeyRegistry(
            client: client,
            settings: .init(namespace: configuration.namespace, prefix: configuration.keyPrefix, keySize: configuration.keySize,
                            validity: configuration.keyTTL, commonName: configuration.myCN, labels: configuration.privateKeyLabels,
                            annotations: configuration.privateKeyAnnotations, order: configuration.keyOrder),
            store: keys, logger: logger)
    }

    /// True once at least one key is loaded (readiness).
    public var isReady: Bool { ready.load(ordering: .relaxed) }

    /// Renew the key now (SIGUSR1). Only the leader acts on it.
    public func requestKeyRenewal() {
        renewalRequests.add(1, ordering: .relaxed)
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.followKeys() }
                group.addTask {
                    if self.configuration.leaderElection {
                        let elector = LeaderElector(client: self.client, settings: .init(
                            namespace: self.configuration.namespace, leaseName: self.configuration.leaseName,
                            identity: self.configuration.identity, leaseDuration: self.configuration.leaseDuration,
                            renewDeadline: self.configuration.leaseDuration * 2 / 3, retryPeriod: self.configuration.leaseDuration / 7),
                            logger: self.logger)
                        await elector.run { await self.lead() }
                    } else {
                        await self.lead()
                    }
                }
                await group.waitForAll()
            }
        }
        await client.shutdown()
    }

    // MARK: Every replica

    /// Keeps the key ring equal to the active key Secrets (a follower learns of the leader's
    /// new keys this way), and marks the replica ready once a key exists.
    private func followKeys() async {
        let watcher = ResourceWatcher(client: client, resource: .secrets, namespace: configuration.namespace,
                                      options: ListOptions(labelSelector: KeyRegistry.keySelector, metadataOnly: true), logger: logger)
        for await _ in watcher.changes() {
            // Any change to a key Secret: read them all again (there are few).
            do {
                let ring = try await registry.load()
                metrics.recordKeys(ring)
                if !ring.isEmpty, !ready.exchange(true, ordering: .relaxed) {
                    logger.info("keys loaded; ready", metadata: ["keys": "\(ring.keys.count)"])
                }
            } catch {
                logger.warning("cannot load keys", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: Leader only

    private func lead() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.renewKeys() }
            group.addTask { await self.reconcileLoop() }
            await group.waitForAll()
        }
    }

    /// Generates the first key, then a new one whenever the newest is due or SIGUSR1 asks.
    /// One loop does all of it, so a request and a due renewal never make two keys at once.
    private func renewKeys() async {
        // Requests made while not leading are not this term's to act on.
        renewalRequests.store(0, ordering: .relaxed)
        // Make sure the ring reflects the cluster before deciding (a new leader may be behind).
        _ = try? await registry.load()
        if registry.predates(cutoff: configuration.keyCutoffTime) {
            await generateKey(reason: "the newest key predates --key-cutoff-time")
        }
        while !Task.isCancelled {
            if renewalRequests.exchange(0, ordering: .relaxed) > 0 {
                await generateKey(reason: "requested (SIGUSR1)")
                continue
            }
            let due = registry.renewalDue(period: configuration.keyRenewPeriod)
            if let due, due <= Date() {
                await generateKey(reason: keys.current.newest == nil ? "no active key" : "renewal due")
                continue
            }
            // Short naps: a request is acted on within a second.
            let wait = due.map { min(max($0.timeIntervalSinceNow, 0.01), 1) } ?? 1
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }

    private func generateKey(reason: String) async {
        do {
            logger.info("generating a sealing key", metadata: ["reason": "\(reason)"])
            try await registry.generate()
            metrics.recordKeys(keys.current)
            ready.store(true, ordering: .relaxed)
        } catch {
            logger.error("key generation failed", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(5))
        }
    }

    /// Watches SealedSecrets (and Secrets, to recreate deleted ones) and runs the workers.
    private func reconcileLoop() async {
        // Reconciling needs keys: wait for the first one.
        while keys.current.isEmpty, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(200)) }
        let cache = ObjectCache()
        let secrets = configuration.skipRecreate ? nil : SecretIndex()
        let queue = WorkQueue()
        let unsealCache = UnsealCache()
        let reconciler = Reconciler(client: client, keys: keys, templates: templates, sealedSecrets: cache, secrets: secrets,
                                    unsealCache: unsealCache,
                                    pool: pool, metrics: metrics,
                                    settings: .init(updateStatus: configuration.updateStatus, acceptV1Data: configuration.acceptV1Data,
                                                    conditionMetrics: !configuration.omitSecretLabelsInMetrics),
                                    logger: logger)
        let namespaces: [String?] = configuration.watchedNamespaces ?? [nil]
        // Both watches are metadata-only: the caches keep a few hundred bytes per object, and
        // a reconcile that must unseal reads the SealedSecret itself.
        let options = ListOptions(labelSelector: configuration.labelSelector, metadataOnly: true)
        await withTaskGroup(of: Void.self) { group in
            for namespace in namespaces {
                group.addTask {
                    let watcher = ResourceWatcher(client: self.client, resource: .sealedSecrets, namespace: namespace, options: options,
                                                  logger: self.logger)
                    for await change in watcher.changes() {
                        // A deletion found by a re-list carries no uid: the cache has it.
                        let previous = change.object.flatMap { cache[$0.key] }
                        if let key = cache.apply(change) {
                            await queue.add(key)
                        }
                        if self.configuration.deleteSecretsOnDelete, case .deleted(let sealedSecret) = change,
                           let uid = sealedSecret.uid ?? previous?.uid?.description {
                            await self.deleteOwnedSecret(namespace: sealedSecret.namespace ?? "", name: sealedSecret.name ?? "", ownerUID: uid)
                        }
                    }
                }
                if let secrets {
                    group.addTask {
                        let watcher = ResourceWatcher(client: self.client, resource: .secrets, namespace: namespace, options: options,
                                                      logger: self.logger)
                        for await change in watcher.changes() {
                            // A deleted Secret whose SealedSecret still exists is written again,
                            // if it was that SealedSecret's (owned) or handed to it (managed).
                            if let removed = secrets.apply(change), case .deleted(let secret) = change, let owner = cache[secret.key],
                               Self.belongs(removed, to: owner) {
                                await queue.add(secret.key)
                            }
                        }
                    }
                }
            }
            group.addTask {
                // A key turned compromised or retired, removed, or added (perhaps restored from
                // a backup): objects whose result may change are reconciled again.
                var known = self.keys.current.states
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let current = self.keys.current.states
                    guard current != known else { continue }
                    known = current
                    for key in unsealCache.staleKeys(among: cache.keys, ring: self.keys.current) { await queue.add(key) }
                }
            }
            for _ in 0 ..< Self.reconcilesInFlight(workers: configuration.workers) {
                group.addTask { await self.work(queue, reconciler) }
            }
            if configuration.resyncPeriod > 0 {
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(Int(self.configuration.resyncPeriod * 1000)))
                        for key in cache.keys { await queue.add(key) }
                    }
                }
            }
            await withTaskCancellationHandler {
                await group.waitForAll()
            } onCancel: {
                Task { await queue.shutDown() }
            }
        }
    }

    /// Reconciles running at once: four per unsealing thread. A reconcile spends part of its
    /// time waiting for the API server (read, then Secret, Event and status writes); the
    /// others have their unseals queued by then, so the threads never idle between objects.
    /// Two were enough against an idle API server, not against one busy with a bulk apply,
    /// whose answers then took longer than an unseal. Unsealing itself stays bounded by the
    /// pool's `--workers` threads, and each reconcile holds one object.
    static func reconcilesInFlight(workers: Int) -> Int {
        4 * max(workers, 1)
    }

    private func work(_ queue: WorkQueue, _ reconciler: Reconciler) async {
        while let key = await queue.next() {
            do {
                try await reconciler.reconcile(key: key)
                await queue.forget(key)
            } catch {
                let retries = await queue.retries(of: key)
                if retries < configuration.maxUnsealRetries {
                    logger.warning("reconcile failed; will retry", metadata: ["key": "\(key)", "error": "\(error)"])
                    await queue.retryLater(key)
                } else {
                    logger.error("reconcile failed; giving up", metadata: ["key": "\(key)", "error": "\(error)"])
                    await queue.forget(key)
                }
            }
            await queue.done(key)
            trimmer.recordReconcile()
            if trimmer.isDue, await queue.isIdle { trimmer.trimIfWorthIt() }
        }
    }

    /// Whether a Secret is one the controller recreates when deleted: owned by the SealedSecret
    /// or annotated `managed` (a Secret it merely patched, or refused, is left alone).
    static func belongs(_ secret: SecretIndex.Entry, to sealedSecret: SealedSecretRef) -> Bool {
        if secret.managed { return true }
        guard let uid = sealedSecret.uid else { return false }
        return secret.ownerUID == uid
    }

    /// `--old-gc-behavior`: delete the Secret of a deleted SealedSecret now, if it owns it,
    /// instead of leaving it to the garbage collector. Conditional on the Secret's uid, so a
    /// Secret re-created meanwhile is not touched.
    private func deleteOwnedSecret(namespace: String, name: String, ownerUID uid: String) async {
        guard let secret = try? await client.get(.secrets, namespace: namespace, name: name),
              SecretWritePlan.ownerReferences(of: secret).contains(where: { $0.uid == uid && $0.controller })
        else { return }
        do {
            try await client.delete(.secrets, namespace: namespace, name: name, uid: secret.uid)
            logger.info("deleted the Secret of a deleted SealedSecret (--old-gc-behavior)", metadata: ["secret": "\(namespace)/\(name)"])
        } catch where !error.isNotFound {
            logger.warning("cannot delete the Secret of a deleted SealedSecret", metadata: ["secret": "\(namespace)/\(name)", "error": "\(error)"])
        } catch {}
    }
}

extension ResourceWatcher.Change {
    var object: KubeObject? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .synced: nil
        }
    }
}
