import Foundation

/// Cascading deletion, what the real cluster's garbage collector and namespace controller do.
///
/// Real clusters do this asynchronously; here it happens inside the deleting write, right after
/// the owner's `DELETED` event, so tests observe the end state deterministically. The
/// semantics follow the garbage collector: a dependent goes only when none of its owners is
/// left (otherwise just the dangling reference is removed), finalizers are honoured, and
/// `Orphan` removes the owner reference instead of deleting.
extension ObjectStore {
    func collectGarbage(ownerUID: String, propagation: PropagationPolicy) {
        guard !ownerUID.isEmpty else { return }
        for reference in dependents(of: ownerUID) {
            guard let definition = catalog.definition(for: reference.resource),
                  let dependent = get(definition, key: reference.key)
            else { continue }
            let otherOwnerAlive = dependent.ownerUIDs.contains { $0 != ownerUID && exists(uid: $0) }
            if propagation == .orphan || otherOwnerAlive {
                var updated = dependent
                let remaining = (dependent.metadata["ownerReferences"]?.arrayValue ?? []).filter {
                    $0["uid"]?.stringValue != ownerUID
                }
                updated[path: ["metadata", "ownerReferences"]] = remaining.isEmpty ? nil : .array(remaining)
                commit(.modified, resource: reference.resource, key: reference.key, object: updated, previous: dependent)
                continue
            }
            deleteCascading(definition: definition, key: reference.key, current: dependent)
        }
    }

    /// Deletes every namespaced object in a deleted namespace.
    func deleteNamespaceContents(_ namespace: String) {
        for definition in catalog.definitions where definition.namespaced {
            for object in objects(of: definition.resource, namespace: namespace) {
                let key = ObjectKey(namespace: namespace, name: object.name)
                // An earlier cascade in this loop may already have removed it.
                guard let current = get(definition, key: key) else { continue }
                deleteCascading(definition: definition, key: key, current: current)
            }
        }
    }

    /// Deletes a dependent, or marks it for deletion if it has finalizers.
    private func deleteCascading(definition: ResourceDefinition, key: ObjectKey, current: JSONValue) {
        if current.finalizers.isEmpty {
            remove(definition: definition, key: key, current: current, propagation: .background)
        } else if current.deletionTimestamp == nil {
            var marked = current
            marked[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.format(.now))
            marked[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            commit(.modified, resource: definition.resource, key: key, object: marked, previous: current)
        }
    }
}
