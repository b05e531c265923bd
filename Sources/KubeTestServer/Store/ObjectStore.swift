import Foundation
import Logging

/// The cluster state: every stored object, the global resource version, the event history
/// and the open watches.
///
/// An actor, so that each write — validation, the resource-version bump, the history entry
/// and the fan-out to watchers — happens atomically and in resource-version order, which is
/// the ordering guarantee Kubernetes watches give. Writes from HTTP handlers and from the
/// direct test API go through the same methods.
actor ObjectStore {
    let catalog: ResourceCatalog
    let logger: Logger

    /// The resource version of the latest write; 0 before the first.
    private(set) var resourceVersion = 0
    private var objects: [KubeResource: [ObjectKey: JSONValue]] = [:]
    /// Where each live object is, by `metadata.uid`.
    private var objectsByUID: [String: ObjectReference] = [:]
    /// The objects naming each owner `uid` in their `ownerReferences`.
    private var dependentsByOwner: [String: Set<ObjectReference>] = [:]
    private(set) var history: EventHistory
    var watches: [Int: WatchSubscription] = [:]
    var nextWatchID = 0

    /// - Parameter compactionWindow: How many past events a watch or a paginated list can
    ///   resume from.
    init(catalog: ResourceCatalog, compactionWindow: Int, logger: Logger) {
        self.catalog = catalog
        self.logger = logger
        self.history = EventHistory(capacity: compactionWindow, startingAt: 0)
    }

    // MARK: Reads

    func get(_ definition: ResourceDefinition, key: ObjectKey) -> JSONValue? {
        objects[definition.resource]?[key]
    }

    /// The live objects of one resource (in one namespace, if given), in key order.
    func objects(of resource: KubeResource, namespace: String?) -> [JSONValue] {
        let table = objects[resource] ?? [:]
        return table.keys
            .filter { namespace == nil || $0.namespace == namespace }
            .sorted()
            .map { table[$0]! }
    }

    /// The current objects of one resource, keyed, for list and watch.
    func table(of resource: KubeResource) -> [ObjectKey: JSONValue] {
        objects[resource] ?? [:]
    }

    // MARK: Create

    func create(
        _ body: JSONValue, definition: ResourceDefinition, namespace: String?, options: WriteOptions
    ) throws(KubeAPIError) -> WriteResult {
        // The lookups below see the tables through copies (closures cannot reach into the
        // actor's state). Those copies must be gone before `commit` writes, or the write copies
        // the whole table: O(n) per create, which made a 10 000-object benchmark's API server
        // the bottleneck. Hence the closures live only inside this function call.
        let (object, warnings) = try prepareCreate(body, definition: definition, namespace: namespace, options: options)
        let errors = ObjectWriteRules.metadataErrors(object, definition: definition)
            + definition.admission.validate(object, old: nil)
        guard errors.isEmpty else {
            throw .invalid(kind: definition.kind, resource: definition.resource, name: object.name, errors: errors)
        }
        let key = ObjectKey(namespace: namespace ?? "", name: object.name)
        if objects[definition.resource]?[key] != nil {
            throw .alreadyExists(definition.resource, name: object.name)
        }
        if options.dryRun {
            return WriteResult(object: object, warnings: warnings)
        }
        let stored = commit(.added, resource: definition.resource, key: key, object: object, previous: nil)
        return WriteResult(object: stored, warnings: warnings)
    }

    /// The object as it would be stored: defaults, a generated name, admission's changes.
    private func prepareCreate(
        _ body: JSONValue, definition: ResourceDefinition, namespace: String?, options: WriteOptions
    ) throws(KubeAPIError) -> (JSONValue, [String]) {
        let table = objects[definition.resource] ?? [:]
        var (object, warnings) = try ObjectWriteRules.prepareCreate(
            body, definition: definition, namespace: namespace, options: options
        ) { prefix in
            Self.generatedName(prefix: prefix) { candidate in
                table[ObjectKey(namespace: namespace ?? "", name: candidate)] != nil
            }
        }
        let services = objects[.services] ?? [:]
        let context = AdmissionContext(isClusterIPInUse: { ip in
            services.values.contains { $0[path: ["spec", "clusterIP"]]?.stringValue == ip }
        })
        try definition.admission.prepareForCreate(&object, context: context)
        return (object, warnings)
    }

    /// `prefix` plus five characters from the alphabet Kubernetes uses for generated names
    /// (no vowels, so no words), retried until the name is free.
    static func generatedName(prefix: String, isTaken: (String) -> Bool) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        let trimmed = String(prefix.prefix(58))
        while true {
            let suffix = String((0..<5).map { _ in alphabet.randomElement()! })
            let candidate = trimmed + suffix
            if !isTaken(candidate) { return candidate }
        }
    }

    // MARK: Update and patch

    /// Replaces the object at `key` with `transform(current)`, like the API server's
    /// `GuaranteedUpdate`: the transform sees the latest state and runs inside the store's
    /// isolation, so read-modify-write (PATCH) cannot race with other writes.
    ///
    /// An update that changes nothing stores nothing: the resource version stays and no watch
    /// event is sent, as in a real cluster.
    func update(
        definition: ResourceDefinition, key: ObjectKey, target: WriteTarget, options: WriteOptions,
        transform: @Sendable (JSONValue) throws(KubeAPIError) -> JSONValue
    ) throws(KubeAPIError) -> WriteResult {
        guard let old = objects[definition.resource]?[key] else {
            throw .notFound(definition.resource, name: key.name)
        }
        let candidate = try transform(old)
        var (object, warnings) = try ObjectWriteRules.prepareUpdate(
            candidate, old: old, definition: definition, target: target, options: options)
        if target == .main {
            try definition.admission.prepareForUpdate(&object, old: old)
        }
        let errors = ObjectWriteRules.metadataErrors(object, definition: definition)
            + definition.admission.validate(object, old: old)
        guard errors.isEmpty else {
            throw .invalid(kind: definition.kind, resource: definition.resource, name: old.name, errors: errors)
        }
        if object == old || options.dryRun {
            return WriteResult(object: object, warnings: warnings)
        }
        if object.deletionTimestamp != nil && object.finalizers.isEmpty {
            // The last finalizer is gone: the pending deletion completes now.
            let removed = remove(definition: definition, key: key, current: object, propagation: .background)
            return WriteResult(object: removed, warnings: warnings)
        }
        let stored = commit(.modified, resource: definition.resource, key: key, object: object, previous: old)
        return WriteResult(object: stored, warnings: warnings)
    }

    // MARK: Delete

    /// Deletes the object at `key`, or marks it for deletion while finalizers remain, then
    /// lets the garbage collector handle its dependents.
    func delete(definition: ResourceDefinition, key: ObjectKey, options: DeleteOptions) throws(KubeAPIError) -> DeleteOutcome {
        guard let current = objects[definition.resource]?[key] else {
            throw .notFound(definition.resource, name: key.name)
        }
        if let uid = options.preconditionUID, uid != current.uid {
            throw .conflict(definition.resource, name: key.name,
                            why: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(current.uid)")
        }
        if let version = options.preconditionResourceVersion, version != current.resourceVersion {
            throw .conflict(definition.resource, name: key.name,
                            why: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(current.resourceVersion)")
        }
        if options.dryRun {
            return .deleted(current)
        }
        if !current.finalizers.isEmpty {
            if current.deletionTimestamp != nil {
                return .pending(current)
            }
            var marked = current
            marked[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.format(Date()))
            marked[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            let stored = commit(.modified, resource: definition.resource, key: key, object: marked, previous: current)
            return .pending(stored)
        }
        return .deleted(remove(definition: definition, key: key, current: current, propagation: options.propagation))
    }

    /// Removes a live object for good, emits `DELETED`, and collects its dependents.
    /// Returns the object as it was removed, stamped with the deletion's resource version.
    @discardableResult
    func remove(definition: ResourceDefinition, key: ObjectKey, current: JSONValue, propagation: PropagationPolicy) -> JSONValue {
        let deleted = commit(.deleted, resource: definition.resource, key: key, object: nil, previous: current)
        collectGarbage(ownerUID: current.uid, propagation: propagation)
        if definition.resource == .namespaces {
            deleteNamespaceContents(current.name)
        }
        return deleted
    }

    // MARK: Commit

    /// Applies one change: bumps the resource version, updates the indexes, records the event
    /// and delivers it to watchers. Returns the stored object (for `DELETED`, the removed one).
    @discardableResult
    func commit(
        _ type: WatchEventType, resource: KubeResource, key: ObjectKey, object: JSONValue?, previous: JSONValue?
    ) -> JSONValue {
        resourceVersion += 1
        let version = JSONValue.string(String(resourceVersion))
        let reference = ObjectReference(resource: resource, key: key)
        if let previous {
            unindex(previous, at: reference)
        }
        let eventObject: JSONValue
        if var object {
            object[path: ["metadata", "resourceVersion"]] = version
            objects[resource, default: [:]][key] = object
            index(object, at: reference)
            eventObject = object
        } else {
            objects[resource]?[key] = nil
            var removed = previous ?? .object([:])
            removed[path: ["metadata", "resourceVersion"]] = version
            eventObject = removed
        }
        let event = StoredEvent(resourceVersion: resourceVersion, type: type, resource: resource, key: key,
                                object: eventObject, previous: previous)
        history.append(event)
        deliver(event)
        logger.debug("stored change", metadata: [
            "type": "\(type.rawValue)", "resource": "\(resource)", "object": "\(key.path)",
            "resourceVersion": "\(resourceVersion)",
        ])
        return eventObject
    }

    private func index(_ object: JSONValue, at reference: ObjectReference) {
        objectsByUID[object.uid] = reference
        for owner in object.ownerUIDs {
            dependentsByOwner[owner, default: []].insert(reference)
        }
    }

    private func unindex(_ object: JSONValue, at reference: ObjectReference) {
        objectsByUID[object.uid] = nil
        for owner in object.ownerUIDs {
            dependentsByOwner[owner]?.remove(reference)
            if dependentsByOwner[owner]?.isEmpty == true { dependentsByOwner[owner] = nil }
        }
    }

    /// Whether a live object has this `uid`.
    func exists(uid: String) -> Bool {
        objectsByUID[uid] != nil
    }

    /// The live objects that name `uid` as an owner, in a stable order.
    func dependents(of uid: String) -> [ObjectReference] {
        (dependentsByOwner[uid] ?? []).sorted()
    }

    /// Forgets history up to now, so that every older resource version is expired.
    func compactHistory() {
        history.compact(through: resourceVersion)
    }
}

// MARK: - Delete collection

extension ObjectStore {
    /// Deletes every object `filter` selects, one by one in key order; returns them.
    func deleteCollection(_ filter: ObjectFilter, options: DeleteOptions) throws(KubeAPIError) -> [JSONValue] {
        guard let definition = catalog.definition(for: filter.resource) else { return [] }
        var deleted: [JSONValue] = []
        for key in table(of: filter.resource).keys.sorted() {
            guard filter.namespace == nil || key.namespace == filter.namespace,
                  let object = get(definition, key: key), filter.matches(object)
            else { continue }
            switch try delete(definition: definition, key: key, options: options) {
            case .deleted(let object), .pending(let object):
                deleted.append(object)
            }
        }
        return deleted
    }
}
