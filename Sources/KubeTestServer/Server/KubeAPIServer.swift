public import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// A Kubernetes API server for tests: real HTTP and HTTPS on loopback, real API semantics,
/// state in memory.
///
/// It serves the resources SealKit touches — core `v1` Secrets, ConfigMaps, Services,
/// Events and Namespaces, `coordination.k8s.io/v1` Leases and the `bitnami.com/v1alpha1`
/// SealedSecret custom resource with its status subresource — with discovery, CRUD, patches,
/// selectors, pagination, watches with bookmarks and expiry, garbage collection, the service
/// proxy, authentication and RBAC-style denial, following the Kubernetes API conventions so
/// that SealKit's client, its controller and the real `kubectl` can be tested against it.
/// ``faults`` injects failures at run time.
///
/// Where it knowingly differs from a real cluster:
/// - Responses are JSON only; protobuf request bodies are accepted for the kinds kubectl's
///   typed commands create (Secret, ConfigMap, Namespace, Service, DeleteOptions).
/// - No server-side apply (`application/apply-patch+yaml` gets 415) and no `managedFields`.
/// - Classic discovery only (clients fall back from aggregated discovery); OpenAPI v3 lists
///   operations but no schemas; `/openapi/v2` is 404.
/// - Namespaces need not exist before objects are created in them.
/// - Garbage collection and namespace deletion happen synchronously inside the deleting
///   write; `Foreground` propagation deletes the owner and dependents in one step.
/// - Snapshots for paginated and `resourceVersionMatch=Exact` lists are rebuilt from the
///   event history, so they reach back only as far as the compaction window.
/// - Authorization is a deny list (``AccessRule``); every authenticated request acts as
///   ``Configuration/userName``.
/// - The service proxy forwards to `http://127.0.0.1:<targetPort>` and needs a numeric
///   `targetPort`; `https` endpoints are refused.
///
/// ```swift
/// let server = KubeAPIServer(configuration: .init())
/// let url = try await server.start()
/// defer { Task { await server.stop() } }
/// ```
public final class KubeAPIServer: Sendable {
    public let configuration: Configuration
    /// Runtime fault injection: failures, delays, 403s, dropped and expired watches.
    public let faults: FaultInjection
    let store: ObjectStore
    let catalog: ResourceCatalog
    private let proxy: ServiceProxy
    private let authenticator: Authenticator
    private let requestLog = RequestLog()
    private let state = Locked(RunState.idle)

    private enum RunState: Sendable {
        case idle
        case starting
        case running(task: Task<Void, Never>, group: ServiceGroup, url: URL)
        case stopped
    }

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.catalog = .standard
        self.store = ObjectStore(catalog: catalog, compactionWindow: configuration.compactionWindow,
                                 logger: configuration.logger)
        self.faults = FaultInjection(store: store, forbidden: configuration.forbidden)
        self.proxy = ServiceProxy(logger: configuration.logger)
        self.authenticator = Authenticator(tokens: configuration.bearerTokens, serviceAccountTokens: configuration.serviceAccountTokens,
                                           basicCredentials: configuration.basicCredentials,
                                           verifiesClientCertificates: configuration.tls?.clientCAPEM != nil)
    }

    /// Replaces the accepted bearer tokens while running: a request with a token no longer in
    /// the set gets 401, as after a token's expiry or revocation.
    public func setBearerTokens(_ tokens: Set<String>) {
        authenticator.tokens.withLock { $0 = tokens }
    }

    /// The requests received so far (the most recent 2000), oldest first.
    public var receivedRequests: [RecordedRequest] { requestLog.all }

    /// Forgets the recorded requests.
    public func clearReceivedRequests() { requestLog.clear() }

    /// The base URL while running, such as `https://127.0.0.1:54321`.
    public var url: URL? {
        state.withLock { state in
            if case .running(_, _, let url) = state { return url }
            return nil
        }
    }

    /// Binds and starts serving; returns the base URL (`http://` or `https://`, with the
    /// actual port when `port` is 0).
    ///
    /// - Throws: ``KubeAPIServerError`` if the server was already started, the TLS material
    ///   does not load, or the address cannot be bound.
    public func start() async throws -> URL {
        try state.withLock { state in
            guard case .idle = state else { throw KubeAPIServerError("the server can only be started once") }
            state = .starting
        }
        let logger = configuration.logger
        let tlsConfiguration: TLSConfiguration?
        do {
            tlsConfiguration = try configuration.tls.map {
                try ServerTLS.configuration($0, acceptsTokens: !configuration.bearerTokens.isEmpty || !configuration.serviceAccountTokens.isEmpty
                                            || !configuration.basicCredentials.isEmpty)
            }
        } catch {
            state.withLock { $0 = .idle }
            throw KubeAPIServerError("invalid TLS configuration: \(error)")
        }

        let responder = KubeAPIResponder(
            store: store, catalog: catalog, faults: faults,
            authenticator: authenticator, requestLog: requestLog,
            proxy: proxy, userName: configuration.userName, bookmarkInterval: configuration.bookmarkInterval,
            logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let failure = Locked<String?>(nil)
        let application: Application<KubeAPIResponder>
        do {
            application = try Self.makeApplication(
                responder: responder, tls: tlsConfiguration,
                address: .hostname(configuration.host, port: configuration.port), logger: logger
            ) { port in
                portContinuation.yield(port)
                portContinuation.finish()
            }
        } catch {
            state.withLock { $0 = .idle }
            throw KubeAPIServerError("invalid TLS configuration: \(error)")
        }
        // In a service group, so that `stop()` can shut the server down gracefully: cancelling
        // it instead drops connections accepted but not yet handed to a handler, and NIO's async
        // channel treats such a drop as a programming error (a precondition crashes the process).
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                failure.withLock { $0 = String(describing: error) }
                logger.debug("server stopped with an error", metadata: ["error": "\(error)"])
            }
            portContinuation.finish()
        }

        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            state.withLock { $0 = .stopped }
            throw KubeAPIServerError("could not start serving on \(configuration.host):\(configuration.port): "
                                     + (failure.withLock { $0 } ?? "unknown error"))
        }
        let scheme = configuration.tls == nil ? "http" : "https"
        let url = URL(string: "\(scheme)://\(configuration.host):\(port)")!
        state.withLock { $0 = .running(task: task, group: group, url: url) }
        logger.debug("kube test server listening", metadata: ["url": "\(url)"])
        return url
    }

    /// Ends open watches, stops accepting connections and waits for the server to finish.
    public func stop() async {
        let running: (task: Task<Void, Never>, group: ServiceGroup)? = state.withLock { state in
            defer { state = .stopped }
            if case .running(let task, let group, _) = state { return (task, group) }
            return nil
        }
        await store.closeAllWatches()
        if let running {
            await running.group.triggerGracefulShutdown()
            // A client that keeps a connection busy must not hold a test up: cancel after a while.
            let deadline = Task {
                try? await Task.sleep(for: Self.gracefulShutdownLimit)
                running.task.cancel()
            }
            await running.task.value
            deadline.cancel()
        }
        proxy.shutdown()
    }

    /// How long `stop()` lets open connections finish before cancelling the server.
    static let gracefulShutdownLimit = Duration.seconds(3)
}

extension KubeAPIServer {
    /// The Hummingbird application: HTTP/1.1, over TLS when configured. `onListening` gets the
    /// bound port once the listening socket is up.
    private static func makeApplication(
        responder: KubeAPIResponder, tls: TLSConfiguration?, address: BindAddress, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void
    ) throws -> Application<KubeAPIResponder> {
        let configuration = ApplicationConfiguration(address: address)
        // Hummingbird's own messages (startup, and an error-level line whenever the server task
        // is cancelled, which is how `stop()` ends it) are noise here; requests are logged by
        // the responder.
        var logger = logger
        logger.logLevel = .critical
        guard let tls else {
            return Application(responder: responder, server: .http1(), configuration: configuration,
                               onServerRunning: { onListening($0.localAddress?.port ?? 0) }, logger: logger)
        }
        return Application(responder: responder, server: try .tls(.http1(), tlsConfiguration: tls),
                           configuration: configuration,
                           onServerRunning: { onListening($0.localAddress?.port ?? 0) }, logger: logger)
    }
}

/// Why the server could not start.
public struct KubeAPIServerError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
