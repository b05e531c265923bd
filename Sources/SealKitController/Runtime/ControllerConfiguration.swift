public import Foundation
import SealKit
public import Logging

/// Everything the controller is told at start, with Bitnami's flag names and defaults where
/// they exist (DESIGN 1.5, issue 4), plus SealKit's high-availability settings.
public struct ControllerConfiguration: Sendable {
    public var keyPrefix = "sealed-secrets-key"
    public var keySize = 4096
    public var keyTTL: TimeInterval = 10 * 365 * 24 * 3600
    public var myCN = ""
    /// 0 turns periodic renewal off (SIGUSR1 still renews).
    public var keyRenewPeriod: TimeInterval = 30 * 24 * 3600
    public var keyCutoffTime: Date?
    public var allNamespaces = true
    public var additionalNamespaces: [String] = []
    public var labelSelector: String?
    public var updateStatus = true
    public var skipRecreate = false
    public var maxUnsealRetries = 5
    public var listenAddress = ":8080"
    public var metricsAddress = ":8081"
    public var logLevel: Logger.Level = .info
    public var jsonLogs = false
    /// Unsealing threads: 2, or 1 when the process has a single CPU (a quota of one CPU,
    /// `taskset`), where a second RSA thread would only take turns with the first.
    public var workers = min(2, AvailableProcessors.count)
    /// Reconcile every SealedSecret this often even without a change (0 = never), which
    /// repairs Secrets edited by hand; unchanged objects cost no decryption.
    public var resyncPeriod: TimeInterval = 0
    public var rateLimitPerSecond = 2.0
    public var rateLimitBurst = 2
    /// The controller's own namespace (key Secrets, Lease).
    public var namespace = "default"
    public var leaderElection = true
    public var leaseName = "sealed-secrets-controller"
    public var leaseDuration: Duration = .seconds(15)
    public var identity = ProcessInfo.processInfo.hostName + "-" + String(ProcessInfo.processInfo.processIdentifier)
    public var kubeconfig: String?
    public var context: String?

    // Bitnami's flags that SealKit honours beyond the basics.

    /// `--log-info-stdout` (Bitnami's default): info and debug to stdout, warnings and errors to stderr.
    public var logInfoToStdout = true
    /// `--privatekey-annotations` / `--privatekey-labels`: added to every key Secret generated.
    public var privateKeyAnnotations: [String: String] = [:]
    public var privateKeyLabels: [String: String] = [:]
    /// `--key-order-priority`: which date orders keys (the newest seals).
    public var keyOrder: KeyOrder = .certificateNotBefore
    /// `--accept-deprecated-v1-data`: unseal the v1 format (`spec.data`), on by default as in Bitnami.
    public var acceptV1Data = true
    /// `--old-gc-behavior`: delete a SealedSecret's Secret when it goes, instead of leaving it to
    /// the garbage collector (owner references).
    public var deleteSecretsOnDelete = false
    /// `--metrics-omit-secret-labels`: no `condition_info` series, so metrics do not list names.
    public var omitSecretLabelsInMetrics = false
    /// `--kubeclient-qps` / `--kubeclient-burst`: a client-side limit on API requests (nil = none).
    public var apiRequestsPerSecond: Double?
    public var apiRequestBurst = 10
    /// `--read-timeout` / `--write-timeout`: an HTTP connection idle this long is closed.
    public var httpIdleTimeout: TimeInterval = 120

    public init() {}

    /// `--key-order-priority`.
    public enum KeyOrder: String, Sendable, CaseIterable {
        case certificateNotBefore = "CertNotBefore"
        case secretCreationTimestamp = "SecretCreationTimestamp"
    }

    /// Bitnami's `k=v,k2=v2` maps (`--privatekey-labels`): nil when malformed.
    public static func parseMap(_ text: String) -> [String: String]? {
        var map: [String: String] = [:]
        for pair in text.split(separator: ",") where !pair.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty else { return nil }
            map[parts[0]] = parts[1]
        }
        return map
    }

    /// `--log-level` as Bitnami (slog) and swift-log spell it, in any case: `INFO`, `WARN`,
    /// `warning`, `ERROR`, `DEBUG`, `trace`, ...
    public static func parseLogLevel(_ text: String) -> Logger.Level? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "trace": .trace
        case "debug": .debug
        case "info", "": .info
        case "notice": .notice
        case "warn", "warning": .warning
        case "error": .error
        case "critical", "fatal": .critical
        default: nil
        }
    }

    /// Namespaces to watch: nil means all.
    public var watchedNamespaces: [String]? {
        if allNamespaces && additionalNamespaces.isEmpty { return nil }
        var namespaces = [namespace]
        for extra in additionalNamespaces where !namespaces.contains(extra) { namespaces.append(extra) }
        return namespaces
    }

    /// `host:port` as Bitnami writes it (`:8080` = all interfaces).
    public static func parseAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0 ... 65535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    /// The controller's namespace as Bitnami finds it: `POD_NAMESPACE`, else the service
    /// account's namespace file, else `default`.
    public static func ownNamespace(environment: [String: String] = ProcessInfo.processInfo.environment,
                                    serviceAccountFile: String = "/var/run/secrets/kubernetes.io/serviceaccount/namespace") -> String {
        if let namespace = environment["POD_NAMESPACE"], !namespace.isEmpty { return namespace }
        if let data = FileManager.default.contents(atPath: serviceAccountFile) {
            let namespace = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !namespace.isEmpty { return namespace }
        }
        return "default"
    }
}
