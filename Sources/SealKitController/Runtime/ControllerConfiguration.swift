public import Foundation
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
    public var workers = 2
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

    public init() {}

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
