public import CoreMetrics
import Foundation
public import Prometheus
import Synchronization

/// The controller's metrics under Bitnami's names (`sealed_secrets_controller_*`), so existing
/// dashboards and alerts keep working, plus key gauges Bitnami lacks. Built on swift-metrics
/// with an explicit Prometheus registry (no global bootstrap, so tests can run several
/// controllers in one process).
public final class ControllerMetrics: Sendable {
    public static let prefix = "sealed_secrets_controller_"

    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let unsealRequests: CoreMetrics.Counter
    let decryptions: CoreMetrics.Counter
    /// `condition_info`, one series per object: kept compact, outside the registry.
    let conditions = ConditionGauges()

    public init(version: String) {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map { .milliseconds(Int($0 * 1000)) }
        self.factory = factory
        unsealRequests = CoreMetrics.Counter(label: Self.prefix + "unseal_requests_total", factory: factory)
        decryptions = CoreMetrics.Counter(label: Self.prefix + "unseal_decryptions_total", factory: factory)
        CoreMetrics.Gauge(label: Self.prefix + "build_info", dimensions: [("revision", version)], factory: factory).record(1)
    }

    /// One reconcile of a SealedSecret.
    public func recordUnsealRequest() {
        unsealRequests.increment()
    }

    /// One SealedSecret actually decrypted (RSA work); reconciles served by the unseal cache do not count.
    public func recordDecryption() {
        decryptions.increment()
    }

    /// `reason` is Bitnami's: `fetch`, `unseal`, `update`, `unmanaged`, `status`.
    public func recordUnsealError(reason: String, namespace: String) {
        CoreMetrics.Counter(label: Self.prefix + "unseal_errors_total", dimensions: [("reason", reason), ("namespace", namespace)],
                factory: factory).increment()
    }

    /// `condition_info`: 1 true, -1 false, 0 unknown; labelled as Bitnami labels it, with the
    /// SealedSecret's `app.kubernetes.io/instance` as `ss_app_kubernetes_io_instance`.
    public func recordCondition(namespace: String, name: String, instance: String = "", condition: String, status: Bool?) {
        conditions.record(key: "\(namespace)/\(name)", instance: instance, condition: condition, status: status)
    }

    /// The same for the object `namespace/name` (the caches' own string, shared rather than copied).
    public func recordCondition(key: String, instance: String, condition: String, status: Bool?) {
        conditions.record(key: key, instance: instance, condition: condition, status: status)
    }

    public func forgetConditions(namespace: String, name: String) {
        forgetConditions(key: "\(namespace)/\(name)")
    }

    public func forgetConditions(key: String) {
        conditions.forget(key: key)
    }

    public func recordHTTPRequest(path: String, method: String, code: Int, duration: Duration) {
        CoreMetrics.Counter(label: Self.prefix + "http_requests_total", dimensions: [("path", path), ("code", String(code)), ("method", method)],
                factory: factory).increment()
        CoreMetrics.Timer(label: Self.prefix + "http_request_duration_seconds", dimensions: [("path", path), ("method", method)],
              factory: factory).recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Key gauges: how many keys, and when each certificate expires (Unix seconds).
    public func recordKeys(_ ring: KeyRing) {
        CoreMetrics.Gauge(label: Self.prefix + "keys", factory: factory).record(Double(ring.keys.count))
        for key in ring.keys {
            CoreMetrics.Gauge(label: Self.prefix + "key_expiry_timestamp_seconds", dimensions: [("key", key.name), ("fingerprint", key.fingerprint)],
                  factory: factory).record(key.certificate.notAfter.timeIntervalSince1970)
        }
    }

    /// RSA private-key operations spent unsealing, by outcome: with good key hints `failure`
    /// stays near zero however many keys the controller holds.
    public func recordRSAAttempts(opened: Int, failed: Int) {
        if opened > 0 {
            CoreMetrics.Counter(label: Self.prefix + "rsa_decrypt_attempts_total", dimensions: [("outcome", "success")], factory: factory)
                .increment(by: opened)
        }
        if failed > 0 {
            CoreMetrics.Counter(label: Self.prefix + "rsa_decrypt_attempts_total", dimensions: [("outcome", "failure")], factory: factory)
                .increment(by: failed)
        }
    }

    /// How many SealedSecrets need each key (so a key can be retired once it reaches zero).
    public func recordObjectsPerKey(_ counts: [String: Int]) {
        for (fingerprint, count) in counts {
            CoreMetrics.Gauge(label: Self.prefix + "key_objects", dimensions: [("fingerprint", fingerprint)], factory: factory)
                .record(Double(count))
        }
    }

    /// The Prometheus text exposition of everything recorded.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer() + conditions.exposition() + Array(ProcessMetrics.exposition().utf8)
    }
}
