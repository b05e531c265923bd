public import Logging
import SealKit
import Synchronization

/// Keeps a consumer's view of a collection equal to the server's, as client-go's reflector
/// does: list, then watch from the list's resourceVersion; resume after a dropped stream from
/// the last version seen (bookmarks keep it fresh); list again after a 410 and report exactly
/// the differences, so no change is lost or reported twice; back off with jitter on errors.
public final class ResourceWatcher: Sendable {
    public enum Change: Sendable {
        case added(KubeObject)
        case modified(KubeObject)
        case deleted(KubeObject)
        /// The view is complete and current (after each full list).
        case synced
    }

    public let client: KubeClient
    public let resource: ResourceType
    public let namespace: String?
    public let options: ListOptions
    let watchTimeoutSeconds: Int
    let logger: Logger
    private let listCount = Atomic<Int>(0)
    private let watchCount = Atomic<Int>(0)

    /// Full lists done so far (the first, then one after each 410).
    public var lists: Int { listCount.load(ordering: .relaxed) }
    /// Watch requests opened so far (each resume after a dropped stream opens one more).
    public var watches: Int { watchCount.load(ordering: .relaxed) }

    public init(client: KubeClient, resource: ResourceType, namespace: String?, options: ListOptions = ListOptions(),
                watchTimeoutSeconds: Int = 300, logger: Logger = Logger(label: "sealkit.watch")) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.options = options
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.logger = logger
    }

    /// The changes, until the consuming task is cancelled. Errors are retried, never thrown.
    public func changes() -> AsyncStream<Change> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task { await self.run(continuation) }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// What the watcher remembers of each object it reported: its resourceVersion, enough to
    /// tell a change from a repeat — never the object itself, so following 10 000 objects costs
    /// about a hundred bytes each.
    struct Known {
        var resourceVersion: String?
    }

    private func run(_ continuation: AsyncStream<Change>.Continuation) async {
        var known: [String: Known] = [:]
        var resourceVersion: String?
        var failures = 0
        let backoff = RetryPolicy(maximumAttempts: .max, baseDelay: .milliseconds(100), maximumDelay: .seconds(30))

        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    listCount.add(1, ordering: .relaxed)
                    resourceVersion = try await relist(&known, continuation)
                    continuation.yield(.synced)
                }
                watchCount.add(1, ordering: .relaxed)
                let stream = client.watch(resource, namespace: namespace, resourceVersion: resourceVersion, options: options,
                                          timeoutSeconds: watchTimeoutSeconds)
                for try await event in stream {
                    failures = 0
                    switch event {
                    case .bookmark(let version):
                        if !version.isEmpty { resourceVersion = version }
                    case .added(let object), .modified(let object):
                        let previous = known.updateValue(Known(resourceVersion: object.resourceVersion), forKey: object.key)
                        if let previous, previous.resourceVersion == object.resourceVersion { continue }
                        continuation.yield(previous != nil ? .modified(object) : .added(object))
                        resourceVersion = object.resourceVersion ?? resourceVersion
                    case .deleted(let object):
                        if known.removeValue(forKey: object.key) != nil { continuation.yield(.deleted(object)) }
                        resourceVersion = object.resourceVersion ?? resourceVersion
                    }
                }
                // The server closed the stream (timeout): resume from where we are.
            } catch let error as KubeError where error.isGone {
                logger.debug("watch expired; listing again", metadata: ["resource": "\(resource)"])
                resourceVersion = nil
            } catch {
                if Task.isCancelled { break }
                failures += 1
                logger.warning("watch failed; retrying", metadata: ["resource": "\(resource)", "error": "\(error)"])
                await backoff.wait(attempt: failures, retryAfter: nil)
            }
        }
        continuation.finish()
    }

    /// Lists everything and reports the difference to `known`, page by page as the pages
    /// arrive, so no more than one page is ever held. `known` follows each report, so a list that
    /// fails half-way and is retried reports nothing twice. Deletions come last, once the whole
    /// list has been seen; the object of such a deletion carries only its namespace, name and
    /// last resourceVersion, as client-go's "final state unknown".
    private func relist(_ known: inout [String: Known], _ continuation: AsyncStream<Change>.Continuation) async throws(KubeError) -> String {
        var seen = Set<String>(minimumCapacity: known.count)
        var version = ""
        try await client.listPages(resource, namespace: namespace, options: options) { page, pageVersion in
            version = pageVersion
            for object in page {
                let key = object.key
                seen.insert(key)
                let previous = known.updateValue(Known(resourceVersion: object.resourceVersion), forKey: key)
                if let previous {
                    if previous.resourceVersion != object.resourceVersion { continuation.yield(.modified(object)) }
                } else {
                    continuation.yield(.added(object))
                }
            }
        }
        let gone = known.filter { !seen.contains($0.key) }
        for (key, last) in gone {
            known[key] = nil
            continuation.yield(.deleted(Self.tombstone(key: key, last, resource: resource)))
        }
        return version
    }

    /// The object of a deletion that only a re-list revealed.
    static func tombstone(key: String, _ last: Known, resource: ResourceType) -> KubeObject {
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var metadata = Mapping()
        if parts.count == 2, !parts[0].isEmpty { metadata["namespace"] = .string(parts[0]) }
        metadata["name"] = .string(parts.last ?? key)
        if let version = last.resourceVersion { metadata["resourceVersion"] = .string(version) }
        return KubeObject(.mapping(Mapping([
            "apiVersion": .string(resource.apiVersion), "kind": .string(resource.kind), "metadata": .mapping(metadata),
        ])))
    }
}
