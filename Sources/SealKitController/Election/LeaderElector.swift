public import Foundation
public import KubeClient
public import Logging
public import SealKit
import Synchronization

/// Leader election on a `coordination.k8s.io/v1` Lease, as client-go's leaderelection does:
/// the holder renews `renewTime` every `retryPeriod`; others take over once the lease has not
/// been renewed for `leaseDuration`. Every write is conditional on the lease's resourceVersion,
/// so two candidates can never both believe they won.
public final class LeaderElector: Sendable {
    public struct Settings: Sendable {
        public var namespace: String
        public var leaseName: String
        public var identity: String
        public var leaseDuration: Duration
        /// A leader that cannot renew for this long steps down (before anyone may take over).
        public var renewDeadline: Duration
        public var retryPeriod: Duration

        public init(namespace: String, leaseName: String = "sealed-secrets-controller", identity: String,
                    leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)) {
            self.namespace = namespace
            self.leaseName = leaseName
            self.identity = identity
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    let client: KubeClient
    let settings: Settings
    let logger: Logger
    /// The lease record as last read, and when (on this replica's monotonic clock) it was
    /// first seen in that form. Expiry is judged from that moment, as client-go does, never by
    /// comparing the holder's `renewTime` with the local wall clock: clocks of two nodes may
    /// disagree by more than a lease duration.
    private let observed = Mutex<(record: String, at: ContinuousClock.Instant)?>(nil)
    /// Set when the API server refuses access to Leases (403): Bitnami's RBAC grants none.
    private let leasesForbidden = Atomic<Bool>(false)

    public init(client: KubeClient, settings: Settings, logger: Logger) {
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    /// Campaigns until cancelled. Each time leadership is won, `lead` runs in a child task that
    /// is cancelled as soon as leadership is lost; then the campaign starts again.
    public func run(lead: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            await acquire()
            guard !Task.isCancelled else { break }
            if leasesForbidden.load(ordering: .relaxed) {
                // Installed with Bitnami's RBAC, which has no Lease rule: run as Bitnami runs,
                // the single active replica, rather than wait for a lease that can never be had.
                logger.warning("""
                    no permission on coordination.k8s.io leases in \(settings.namespace): running without leader election, \
                    as the single active replica (Bitnami's model); grant get, create and update on leases to run several replicas
                    """)
                await lead()
                return
            }
            logger.info("became leader", metadata: ["identity": "\(settings.identity)"])
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await lead() }
                group.addTask { await self.keepRenewing() }
                // Whichever ends first (lost lease, or lead finished) ends the term.
                _ = await group.next()
                group.cancelAll()
            }
            logger.info("stopped leading", metadata: ["identity": "\(settings.identity)"])
        }
        // The term is over (its work has stopped): hand the lease over so a standby takes over
        // at its next retry instead of after a whole lease duration. This task is cancelled by
        // now, which would cancel the request too; a task of its own is not.
        let release = Task { await self.release() }
        let deadline = Task {
            try? await Task.sleep(for: min(self.settings.leaseDuration, .seconds(5)))
            release.cancel()
        }
        await release.value
        deadline.cancel()
    }

    private func acquire() async {
        while !Task.isCancelled {
            if await tryAcquireOrRenew() || leasesForbidden.load(ordering: .relaxed) { return }
            try? await Task.sleep(for: settings.retryPeriod)
        }
    }

    /// Renews until a renewal has not succeeded for `renewDeadline`.
    private func keepRenewing() async {
        var lastRenewal = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: settings.retryPeriod)
            if Task.isCancelled { return }
            if await tryAcquireOrRenew() {
                lastRenewal = .now
            } else if lastRenewal.duration(to: .now) >= settings.renewDeadline {
                logger.warning("lost the lease", metadata: ["identity": "\(settings.identity)"])
                return
            }
        }
    }

    /// One attempt: create the lease, renew our own, or take over an expired one.
    func tryAcquireOrRenew(now: Date = Date(), clock: ContinuousClock.Instant = .now) async -> Bool {
        let leaseSeconds = Int(min(settings.leaseDuration.components.seconds, Int64(Int32.max)))  // the API field is int32
        let timestamp = Self.microTime(now)
        do {
            let lease: KubeObject
            do {
                lease = try await client.get(.leases, namespace: settings.namespace, name: settings.leaseName)
            } catch let error where error.isNotFound {
                let spec = Mapping([
                    "holderIdentity": .string(settings.identity),
                    "leaseDurationSeconds": .int(leaseSeconds),
                    "acquireTime": .string(timestamp),
                    "renewTime": .string(timestamp),
                    "leaseTransitions": .int(0),
                ])
                let object = KubeObject(.mapping(Mapping([
                    "apiVersion": .string(ResourceType.leases.apiVersion),
                    "kind": .string(ResourceType.leases.kind),
                    "metadata": .mapping(Mapping(["name": .string(settings.leaseName), "namespace": .string(settings.namespace)])),
                    "spec": .mapping(spec),
                ])))
                _ = try await client.create(.leases, namespace: settings.namespace, object)
                return true
            }
            var spec = lease["spec"]?.mapping ?? Mapping()
            let holder = spec["holderIdentity"]?.scalar?.text ?? ""
            // Untrusted numbers: anything odd counts as our own duration, and a day at most.
            let duration = spec["leaseDurationSeconds"]?.scalar.flatMap { Int($0.text) }.map { min(max($0, 0), 86_400) } ?? leaseSeconds
            let isMine = holder == settings.identity
            let firstSeen = observe(spec, at: clock)
            if !isMine, !holder.isEmpty, clock < firstSeen.advanced(by: .seconds(duration)) {
                return false  // someone else holds a lease that changed less than its duration ago
            }
            if !isMine {
                // int32 in the API; clamped so the increment below cannot overflow on a hostile value.
                let transitions = spec["leaseTransitions"]?.scalar.flatMap { Int($0.text) }.map { min(max($0, 0), Int(Int32.max) - 1) } ?? 0
                spec["leaseTransitions"] = .int(transitions + 1)
                spec["acquireTime"] = .string(timestamp)
                spec["holderIdentity"] = .string(settings.identity)
            }
            spec["leaseDurationSeconds"] = .int(leaseSeconds)
            spec["renewTime"] = .string(timestamp)
            var updated = lease
            updated["spec"] = .mapping(spec)
            _ = try await client.update(.leases, updated)
            return true
        } catch where error.isForbidden {
            leasesForbidden.store(true, ordering: .relaxed)
            return false
        } catch where error.isConflict || error.isAlreadyExists {
            logger.debug("lease contended", metadata: ["identity": "\(settings.identity)"])
            return false
        } catch {
            logger.warning("lease update failed", metadata: ["identity": "\(settings.identity)", "error": "\(error)"])
            return false
        }
    }

    /// Notes the lease record; returns when this replica first saw it as it is now.
    private func observe(_ spec: Mapping, at now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let record = ["holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime", "leaseTransitions"]
            .map { spec[$0]?.scalar?.text ?? "" }.joined(separator: "|")
        return observed.withLock { observed in
            if let observed, observed.record == record { return observed.at }
            observed = (record, now)
            return now
        }
    }

    /// Gives the lease up on shutdown so a standby can take over at once.
    private func release() async {
        guard let lease = try? await client.get(.leases, namespace: settings.namespace, name: settings.leaseName),
              lease["spec"]?.mapping?["holderIdentity"]?.scalar?.text == settings.identity
        else { return }
        var updated = lease
        var spec = lease["spec"]?.mapping ?? Mapping()
        spec["holderIdentity"] = .string("")
        spec["leaseDurationSeconds"] = .int(1)
        spec["renewTime"] = .string(Self.microTime(Date()))
        updated["spec"] = .mapping(spec)
        _ = try? await client.update(.leases, updated)
    }

    /// Kubernetes `MicroTime`: RFC 3339 in UTC with exactly six fractional digits, which is
    /// what the API server's parser expects.
    static func microTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let micros = Int((date.timeIntervalSince1970 - Double(seconds)) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let fraction = String(micros)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }

    static func parseMicroTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
