/// How a list field merges under a strategic merge patch; the Go types' `patchStrategy` and
/// `patchMergeKey` struct tags carry the same information in the real API server.
enum ListMergeStrategy: Sendable {
    /// Elements are objects identified by this key (`spec.ports` by `port`, owner references by
    /// `uid`); patch elements merge into the element with the same key or are appended.
    case mergeByKey(String)
    /// Elements are scalars merged as a set (`metadata.finalizers`).
    case mergePrimitives
}

/// Why a strategic merge patch could not be applied.
struct StrategicMergePatchError: Error, CustomStringConvertible {
    let description: String
}

/// Strategic merge patch (`application/strategic-merge-patch+json`), the patch format
/// `kubectl apply` sends for built-in kinds.
///
/// It is a JSON merge patch except that lists listed in `listStrategies` merge element-wise
/// instead of being replaced, and that these directives are honoured: `$patch: replace` and
/// `$patch: delete` (on maps and on list elements), `$retainKeys`,
/// `$deleteFromPrimitiveList/<field>`; `$setElementOrder/<field>` is accepted and only affects
/// order, which this implementation does not reorder.
struct StrategicMergePatch {
    /// Merge strategies by the path of object keys from the root, such as `["spec", "ports"]`.
    /// List elements share their list's path.
    let listStrategies: [[String]: ListMergeStrategy]

    /// The result of applying `patch` to `original`.
    func apply(_ patch: JSONValue, to original: JSONValue) throws(StrategicMergePatchError) -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            throw StrategicMergePatchError(description: "a strategic merge patch must be a JSON object")
        }
        return try mergeMap(original.objectValue ?? [:], patchMembers, path: []).map(JSONValue.object) ?? .object([:])
    }

    /// Merges one map; `nil` means the map itself is deleted (`$patch: delete`).
    private func mergeMap(
        _ original: [String: JSONValue],
        _ patch: [String: JSONValue],
        path: [String]
    ) throws(StrategicMergePatchError) -> [String: JSONValue]? {
        var patch = patch
        if let directive = patch.removeValue(forKey: "$patch") {
            switch directive.stringValue {
            case "replace":
                return try mergeMap([:], patch, path: path)
            case "delete":
                return nil
            case "merge":
                break
            default:
                throw StrategicMergePatchError(description: "Unknown patch type: \(directive)")
            }
        }
        let retainKeys = patch.removeValue(forKey: "$retainKeys")
        var result = original
        for (key, value) in patch {
            if key.hasPrefix("$setElementOrder/") {
                continue
            }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let unwanted = value.arrayValue ?? []
                if let list = result[field]?.arrayValue {
                    result[field] = .array(list.filter { !unwanted.contains($0) })
                }
                continue
            }
            if value == .null {
                result.removeValue(forKey: key)
                continue
            }
            let childPath = path + [key]
            switch (result[key], value) {
            case (.object(let originalChild)?, .object(let patchChild)):
                result[key] = try mergeMap(originalChild, patchChild, path: childPath).map(JSONValue.object)
            case (_, .object(let patchChild)):
                result[key] = try mergeMap([:], patchChild, path: childPath).map(JSONValue.object)
            case (let originalChild, .array(let patchList)):
                result[key] = try mergeList(originalChild?.arrayValue ?? [], patchList, path: childPath)
            default:
                result[key] = value
            }
        }
        if let retainKeys {
            let kept = Set((retainKeys.arrayValue ?? []).compactMap(\.stringValue))
            result = result.filter { kept.contains($0.key) }
        }
        return result
    }

    private func mergeList(
        _ original: [JSONValue],
        _ patch: [JSONValue],
        path: [String]
    ) throws(StrategicMergePatchError) -> JSONValue {
        // A `{"$patch": "replace"}` element replaces the whole list with the other elements.
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"]?.stringValue != "replace" })
        }
        switch listStrategies[path] {
        case nil:
            return .array(patch)
        case .mergePrimitives:
            var merged = original
            for element in patch where !merged.contains(element) {
                merged.append(element)
            }
            return .array(merged)
        case .mergeByKey(let mergeKey):
            var merged = original
            for element in patch {
                guard case .object(var members) = element, let key = members[mergeKey] else {
                    throw StrategicMergePatchError(description: "map: \(element) does not contain declared merge key: \(mergeKey)")
                }
                let position = merged.firstIndex { $0[mergeKey] == key }
                if members["$patch"]?.stringValue == "delete" {
                    if let position { merged.remove(at: position) }
                    continue
                }
                if let position, case .object(let existing) = merged[position] {
                    if let combined = try mergeMap(existing, members, path: path) {
                        merged[position] = .object(combined)
                    } else {
                        merged.remove(at: position)
                    }
                } else {
                    members.removeValue(forKey: "$patch")
                    merged.append(.object(members))
                }
            }
            return .array(merged)
        }
    }
}
