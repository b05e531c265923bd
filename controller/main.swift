import ArgumentParser
import Foundation
import KubeClient
import Logging
import NIOCore
import NIOPosix
import SealKit
import SealKitController
import ServiceLifecycle
import UnixSignals

/// `sealkit-controller`: the in-cluster half. Flags keep Bitnami's names and meanings; each can
/// also be set as `SEALED_SECRETS_<FLAG>`.
@main
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealkit-controller",
        abstract: "Unseal SealedSecrets into Secrets inside the cluster; serve the sealing certificate.",
        discussion: """
            Keys live as kubernetes.io/tls Secrets in the controller's namespace (POD_NAMESPACE, \
            else the service account's). Every replica serves the HTTP API; one, elected through \
            a Lease, reconciles and renews keys. SIGUSR1 renews the key now; SIGTERM stops gracefully.
            """,
        version: "controller version: \(SealKitVersion.current)"
    )

    @Option(help: "Prefix of key Secret names.") var keyPrefix = "sealed-secrets-key"
    @Option(help: "RSA key size in bits.") var keySize = 4096
    @Option(help: ArgumentHelp("Certificate validity of new keys (Go duration).", valueName: "duration")) var keyTTL = "87600h"
    @Option(name: .customLong("my-cn"), help: "Common name of generated certificates.") var myCN = ""
    @Option(help: ArgumentHelp("Renew the key this often; 0 disables.", valueName: "duration")) var keyRenewPeriod = "720h"
    @Option(help: ArgumentHelp("Renew at start if the newest key is older than this RFC 1123 time.", valueName: "time")) var keyCutoffTime: String?
    @Option(help: "Watch all namespaces (true) or only the controller's and --additional-namespaces.") var allNamespaces = true
    @Option(help: ArgumentHelp("Comma-separated extra namespaces to watch.", valueName: "list")) var additionalNamespaces = ""
    @Option(help: "Only SealedSecrets matching this label selector.") var labelSelector: String?
    @Option(help: "Write the SealedSecret status subresource.") var updateStatus = true
    @Option(help: "Do not recreate deleted Secrets.") var skipRecreate = false
    @Option(help: "Retries of a failing SealedSecret before giving up until it changes.") var maxUnsealRetries = 5
    @Option(help: ArgumentHelp("API listen address.", valueName: "host:port")) var listenAddr = ":8080"
    @Option(help: ArgumentHelp("Metrics listen address.", valueName: "host:port")) var listenMetricsAddr = ":8081"
    @Option(help: "INFO, WARN, ERROR or DEBUG (any case), or swift-log's trace, notice, warning, critical.") var logLevel = "INFO"
    @Option(help: "text or json.") var logFormat = "text"
    @Option(help: "Reconcile workers: threads that unseal in parallel (1 to 64; default 2, or 1 with a single CPU).") var workers: Int?
    @Option(help: ArgumentHelp("Reconcile everything this often (0 = only on change).", valueName: "duration")) var resyncPeriod = "0"
    @Option(help: "Requests per second allowed on /v1/verify and /v1/rotate, per client and path.") var rateLimit = 2.0
    @Option(help: "Burst allowed on /v1/verify and /v1/rotate, per client and path.") var rateLimitBurst = 2
    @Option(help: "Elect a leader through a Lease (needed with more than one replica).") var leaderElect = true
    @Option(help: ArgumentHelp("Lease duration: fail-over time after a leader dies.", valueName: "duration")) var leaseDuration = "15s"
    @Option(help: "Kubeconfig file (default: in-cluster service account, else $KUBECONFIG / ~/.kube/config).") var kubeconfig: String?
    @Option(help: "Kubeconfig context.") var context: String?

    // Bitnami's remaining flags (v0.36), same names, syntax and meaning.
    @Option(help: "Log info and debug to stdout, warnings and errors to stderr (false: everything to stderr).") var logInfoStdout = true
    @Option(help: ArgumentHelp("Annotations added to generated key Secrets.", valueName: "k=v,k2=v2")) var privatekeyAnnotations = ""
    @Option(help: ArgumentHelp("Labels added to generated key Secrets.", valueName: "k=v,k2=v2")) var privatekeyLabels = ""
    @Option(help: "Follow key Secrets created outside the controller (always on in SealKit).") var watchForSecrets = false
    @Option(help: "Order keys by CertNotBefore or SecretCreationTimestamp; the newest seals.") var keyOrderPriority = "CertNotBefore"
    @Option(help: "Unseal the deprecated v1 format (spec.data).") var acceptDeprecatedV1Data = true
    @Option(help: "Delete a SealedSecret's Secret when it is deleted, instead of leaving that to garbage collection.") var oldGcBehavior = false
    @Option(help: "Publish no condition_info series (they name every SealedSecret).") var metricsOmitSecretLabels = false
    @Option(help: "Client-side limit on Kubernetes API requests per second (negative or absent: none).") var kubeclientQps: Double?
    @Option(help: "Burst above --kubeclient-qps.") var kubeclientBurst = 10
    @Option(help: ArgumentHelp("Close HTTP connections idle this long (reading).", valueName: "duration")) var readTimeout = "2m"
    @Option(help: ArgumentHelp("Close HTTP connections idle this long (writing).", valueName: "duration")) var writeTimeout = "2m"
    @Option(help: ArgumentHelp("Deprecated: --key-renew-period.", valueName: "duration")) var rotatePeriod: String?

    static func main() async {
        ProcessHardening.disableCoreDumps()
        // One event loop per CPU the process may use (NIO counts the machine's): under a one-CPU
        // limit two loops would hand every watch event and response across threads.
        NIOSingletons.groupLoopCountSuggestion = AvailableProcessors.count
        // Swift concurrency's jobs run on NIO's event-loop threads, where the API client's and the
        // HTTP servers' I/O already happens: no thread hand-off around every request. CPU-bound
        // work (RSA, templates, bcrypt) never runs there; it has a WorkerPool of its own.
        if ProcessInfo.processInfo.environment["SEALKIT_DEFAULT_EXECUTOR"] == nil {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }
        let arguments = FlagNormalizer.normalize(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    func run() async throws {
        var configuration = try makeConfiguration()
        let logging = configuration
        LoggingSystem.bootstrap { label in
            func stream(_ toStdout: Bool) -> any LogHandler {
                if logging.jsonLogs { return JSONLogHandler(label: label, toStandardOutput: toStdout) }
                return toStdout ? StreamLogHandler.standardOutput(label: label) : StreamLogHandler.standardError(label: label)
            }
            var handler: any LogHandler = logging.logInfoToStdout
                ? LevelSplitLogHandler(belowWarning: stream(true), warningAndAbove: stream(false))
                : stream(false)
            handler.logLevel = logging.logLevel
            return handler
        }
        let logger = Logger(label: "sealkit.controller")
        if watchForSecrets {
            logger.info("--watch-for-secrets: SealKit always follows key Secrets, including those created outside the controller")
        }
        configuration.namespace = ControllerConfiguration.ownNamespace()

        let connection: ClusterConnection
        if let kubeconfig = configuration.kubeconfig {
            connection = try ClusterConnection.resolve(kubeconfigPath: kubeconfig, context: configuration.context)
        } else if ProcessInfo.processInfo.environment["KUBERNETES_SERVICE_HOST"] != nil {
            connection = try ClusterConnection.inCluster()
        } else {
            connection = try ClusterConnection.resolve(kubeconfigPath: nil, context: configuration.context)
        }
        let client = try KubeClient(connection: connection, logger: logger,
                                    requestLimit: configuration.apiRequestsPerSecond.map { .init(perSecond: $0, burst: configuration.apiRequestBurst) })
        let keys = KeyStore()
        let metrics = ControllerMetrics(version: SealKitVersion.current)
        let templates = SecretDataTemplates()
        let runner = ControllerRunner(configuration: configuration, client: client, keys: keys, metrics: metrics,
                                      templates: templates, logger: logger)
        guard let api = ControllerConfiguration.parseAddress(configuration.listenAddress),
              let metricsAddress = ControllerConfiguration.parseAddress(configuration.metricsAddress)
        else { throw FlagError(description: "--listen-addr and --listen-metrics-addr take host:port") }

        let dependencies = ControllerAPI.Dependencies(
            keys: keys,
            limiter: RateLimiter(perSecond: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst),
            isReady: { runner.isReady })
        let group = ServiceGroup(
            services: [
                ControllerServers.api(dependencies, metrics: metrics, host: api.host, port: api.port,
                                      idleTimeout: configuration.httpIdleTimeout, logger: logger),
                ControllerServers.metrics(metrics, host: metricsAddress.host, port: metricsAddress.port,
                                          idleTimeout: configuration.httpIdleTimeout, logger: logger),
                runner,
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        logger.info("starting", metadata: ["namespace": "\(configuration.namespace)", "identity": "\(configuration.identity)",
                                           "api": "\(configuration.listenAddress)", "metrics": "\(configuration.metricsAddress)"])
        let renewals = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigusr1) { runner.requestKeyRenewal() }
        }
        defer { renewals.cancel() }
        try await group.run()
    }

    private func makeConfiguration() throws -> ControllerConfiguration {
        var configuration = ControllerConfiguration()
        configuration.keyPrefix = keyPrefix
        configuration.keySize = keySize
        guard (2048 ... 16384).contains(keySize) else { throw FlagError(description: "--key-size must be between 2048 and 16384") }
        configuration.keyTTL = try Self.duration(keyTTL, flag: "--key-ttl")
        configuration.myCN = myCN
        configuration.keyRenewPeriod = try Self.duration(keyRenewPeriod, flag: "--key-renew-period", allowZero: true)
        if let rotatePeriod {
            configuration.keyRenewPeriod = try Self.duration(rotatePeriod, flag: "--rotate-period", allowZero: true)
        }
        if let keyCutoffTime, !keyCutoffTime.isEmpty {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            guard let date = formatter.date(from: keyCutoffTime) else {
                throw FlagError(description: "--key-cutoff-time: expected RFC 1123 with numeric zone, e.g. \"Mon, 02 Jan 2006 15:04:05 -0700\"")
            }
            configuration.keyCutoffTime = date
        }
        configuration.allNamespaces = allNamespaces
        configuration.additionalNamespaces = additionalNamespaces.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        configuration.labelSelector = labelSelector
        configuration.updateStatus = updateStatus
        configuration.skipRecreate = skipRecreate
        configuration.maxUnsealRetries = maxUnsealRetries
        configuration.listenAddress = listenAddr
        configuration.metricsAddress = listenMetricsAddr
        guard let level = ControllerConfiguration.parseLogLevel(logLevel) else {
            throw FlagError(description: "--log-level: unknown level \(logLevel) (INFO, WARN, ERROR or DEBUG)")
        }
        configuration.logLevel = level
        guard ["text", "json"].contains(logFormat) else { throw FlagError(description: "--log-format is text or json") }
        configuration.jsonLogs = logFormat == "json"
        if let workers {
            guard (1 ... 64).contains(workers) else { throw FlagError(description: "--workers must be between 1 and 64") }
            configuration.workers = workers
        }
        configuration.resyncPeriod = try Self.duration(resyncPeriod, flag: "--resync-period", allowZero: true)
        configuration.rateLimitPerSecond = rateLimit
        configuration.rateLimitBurst = rateLimitBurst
        configuration.leaderElection = leaderElect
        configuration.leaseDuration = .milliseconds(Int(try Self.duration(leaseDuration, flag: "--lease-duration") * 1000))
        configuration.kubeconfig = kubeconfig
        configuration.context = context
        configuration.logInfoToStdout = logInfoStdout
        guard let annotations = ControllerConfiguration.parseMap(privatekeyAnnotations) else {
            throw FlagError(description: "--privatekey-annotations takes k=v,k2=v2")
        }
        guard let labels = ControllerConfiguration.parseMap(privatekeyLabels) else {
            throw FlagError(description: "--privatekey-labels takes k=v,k2=v2")
        }
        configuration.privateKeyAnnotations = annotations
        configuration.privateKeyLabels = labels
        guard let order = ControllerConfiguration.KeyOrder.allCases.first(where: { $0.rawValue.lowercased() == keyOrderPriority.lowercased() }) else {
            throw FlagError(description: "--key-order-priority is CertNotBefore or SecretCreationTimestamp")
        }
        configuration.keyOrder = order
        configuration.acceptV1Data = acceptDeprecatedV1Data
        configuration.deleteSecretsOnDelete = oldGcBehavior
        configuration.omitSecretLabelsInMetrics = metricsOmitSecretLabels
        if let kubeclientQps, kubeclientQps > 0, kubeclientQps.isFinite {
            guard kubeclientBurst >= 1 else { throw FlagError(description: "--kubeclient-burst must be at least 1") }
            configuration.apiRequestsPerSecond = kubeclientQps
            configuration.apiRequestBurst = kubeclientBurst
        }
        configuration.httpIdleTimeout = min(try Self.duration(readTimeout, flag: "--read-timeout"),
                                            try Self.duration(writeTimeout, flag: "--write-timeout"))
        return configuration
    }

    /// A duration flag (`720h`, `1h30m`, `15s`), as Bitnami's flags take them. At most Go's
    /// maximum (about 292 years), so every later conversion to milliseconds or a certificate
    /// lifetime is in range: a huge value is a usage error here, never a crash later.
    static func duration(_ text: String, flag: String, allowZero: Bool = false) throws -> TimeInterval {
        let seconds: TimeInterval
        do { seconds = try GoDuration.parse(text) } catch {
            throw FlagError(description: "\(flag): \"\(text)\" is \(error)")
        }
        guard seconds > 0 || allowZero else { throw FlagError(description: "\(flag) must be positive") }
        return seconds
    }

    /// A flag value that cannot be used. Not a `ValidationError`, so the
    /// controller exits with this one line and no usage block.
    struct FlagError: Error, CustomStringConvertible {
        let description: String
    }
}

/// Accepts Go's flag syntax on top of ArgumentParser's: `--flag=value` for every option and
/// `--bool-flag` alone meaning true; fills unset flags from `SEALED_SECRETS_<FLAG>`.
enum FlagNormalizer {
    static let booleans = ["all-namespaces", "update-status", "skip-recreate", "leader-elect", "log-info-stdout", "watch-for-secrets",
                           "accept-deprecated-v1-data", "old-gc-behavior", "metrics-omit-secret-labels"]
    /// Bitnami's older spellings.
    static let aliases = ["old-gc-behaviour": "old-gc-behavior"]
    static let options = ["key-prefix", "key-size", "key-ttl", "my-cn", "key-renew-period", "key-cutoff-time", "all-namespaces",
                          "additional-namespaces", "label-selector", "update-status", "skip-recreate", "max-unseal-retries",
                          "listen-addr", "listen-metrics-addr", "log-level", "log-format", "workers", "resync-period", "rate-limit",
                          "rate-limit-burst", "leader-elect", "lease-duration", "kubeconfig", "context", "log-info-stdout",
                          "privatekey-annotations", "privatekey-labels", "watch-for-secrets", "key-order-priority",
                          "accept-deprecated-v1-data", "old-gc-behavior", "metrics-omit-secret-labels", "kubeclient-qps",
                          "kubeclient-burst", "read-timeout", "write-timeout", "rotate-period"]

    static func normalize(_ arguments: [String], environment: [String: String]) -> [String] {
        var result: [String] = []
        var index = 0
        var given = Set<String>()
        while index < arguments.count {
            var argument = arguments[index]
            if argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2).split(separator: "=", maxSplits: 1).first ?? "")
                if let canonical = aliases[name] {
                    argument = "--" + canonical + argument.dropFirst(2 + name.count)
                    name = canonical
                }
                given.insert(name)
                let hasValue = argument.contains("=")
                // As Go's pflag: a boolean flag takes its value only as `--flag=value`; a lone
                // `true`/`false` after it is accepted too, which SealKit always allowed.
                let nextIsValue = index + 1 < arguments.count
                    && (!booleans.contains(name) || ["true", "false"].contains(arguments[index + 1].lowercased()))
                    && !arguments[index + 1].hasPrefix("--")
                if booleans.contains(name), !hasValue, !nextIsValue {
                    result += ["--\(name)", "true"]
                    index += 1
                    continue
                }
            }
            result.append(argument)
            index += 1
        }
        for name in options where !given.contains(name) {
            let variable = "SEALED_SECRETS_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
            if let value = environment[variable], !value.isEmpty { result += ["--\(name)", value] }
        }
        return result
    }
}
