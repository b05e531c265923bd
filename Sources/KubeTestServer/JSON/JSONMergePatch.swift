/// JSON Merge Patch, RFC 7386 (`application/merge-patch+json`).
///
/// Objects in the patch merge recursively into the target, `null` deletes a member, and every
/// other value (arrays included) replaces the target's value whole. This is what `kubectl apply`
/// sends for custom resources such as SealedSecrets.
enum JSONMergePatch {
    /// The result of applying `patch` to `target`, as RFC 7386 section 2 defines it.
    static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else {
            return patch
        }
        var result = target.objectValue ?? [:]
        for (name, value) in patchMembers {
            if value == .null {
                result.removeValue(forKey: name)
            } else {
                result[name] = apply(value, to: result[name] ?? .null)
            }
        }
        return .object(result)
    }
}
