/// Why a JSON Patch could not be applied; the message names the operation and the path.
struct JSONPatchError: Error, CustomStringConvertible {
    /// `true` when the patch document itself is malformed (400); `false` when it is well formed
    /// but does not apply to the object (422), which is how the API server tells the two apart.
    let isMalformed: Bool
    let description: String
}

/// JSON Patch, RFC 6902 (`application/json-patch+json`): `add`, `remove`, `replace`, `move`,
/// `copy` and `test`, applied in order and atomically (an error leaves the target unchanged,
/// because the caller only keeps the result when every operation succeeded).
enum JSONPatch {
    /// The result of applying the operations in `patch` (a JSON array) to `document`.
    static func apply(_ patch: JSONValue, to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw JSONPatchError(isMalformed: true, description: "a JSON patch must be an array of operations")
        }
        var result = document
        for operation in operations {
            result = try applyOperation(operation, to: result)
        }
        return result
    }

    private static func applyOperation(_ operation: JSONValue, to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard let op = operation["op"]?.stringValue else {
            throw JSONPatchError(isMalformed: true, description: "missing operation: \"op\" is required")
        }
        let path = try pointer(operation, "path", op: op)
        switch op {
        case "add":
            return try add(try value(operation, op: op), at: path, in: document)
        case "remove":
            return try remove(at: path, in: document).document
        case "replace":
            guard path.resolve(in: document) != nil else {
                throw JSONPatchError(isMalformed: false, description: "replace operation does not apply: doc is missing key: \(path)")
            }
            let removed = try remove(at: path, in: document).document
            return try add(try value(operation, op: op), at: path, in: removed)
        case "move":
            let from = try pointer(operation, "from", op: op)
            if path.tokens.starts(with: from.tokens), path.tokens.count > from.tokens.count {
                throw JSONPatchError(isMalformed: false, description: "move operation cannot move \(from) into its own child \(path)")
            }
            let (withoutSource, moved) = try remove(at: from, in: document)
            return try add(moved, at: path, in: withoutSource)
        case "copy":
            let from = try pointer(operation, "from", op: op)
            guard let copied = from.resolve(in: document) else {
                throw JSONPatchError(isMalformed: false, description: "copy operation does not apply: doc is missing from path: \(from)")
            }
            return try add(copied, at: path, in: document)
        case "test":
            let expected = try value(operation, op: op)
            guard path.resolve(in: document) == expected else {
                throw JSONPatchError(isMalformed: false, description: "testing value \(path) failed: test failed")
            }
            return document
        default:
            throw JSONPatchError(isMalformed: true, description: "Unexpected kind: \(op)")
        }
    }

    private static func pointer(_ operation: JSONValue, _ key: String, op: String) throws(JSONPatchError) -> JSONPointer {
        guard let text = operation[key]?.stringValue else {
            throw JSONPatchError(isMalformed: true, description: "\(op) operation is missing \"\(key)\"")
        }
        guard let pointer = JSONPointer(text) else {
            throw JSONPatchError(isMalformed: true, description: "\(op) operation has an invalid \"\(key)\": \(text)")
        }
        return pointer
    }

    private static func value(_ operation: JSONValue, op: String) throws(JSONPatchError) -> JSONValue {
        guard let value = operation["value"] else {
            throw JSONPatchError(isMalformed: true, description: "\(op) operation is missing \"value\"")
        }
        return value
    }

    /// Inserts `value` at `pointer`: object members are set, array elements inserted (`-` appends).
    private static func add(_ value: JSONValue, at pointer: JSONPointer, in document: JSONValue) throws(JSONPatchError) -> JSONValue {
        try modify(document, tokens: pointer.tokens[...], pointer: pointer) { container, token throws(JSONPatchError) in
            switch container {
            case .object(var members):
                members[token] = value
                return .object(members)
            case .array(var elements):
                if token == "-" {
                    elements.append(value)
                } else if let index = JSONPointer.arrayIndex(token), index <= elements.count {
                    elements.insert(value, at: index)
                } else {
                    throw JSONPatchError(isMalformed: false, description: "add operation does not apply: index out of range: \(pointer)")
                }
                return .array(elements)
            default:
                throw JSONPatchError(isMalformed: false, description: "add operation does not apply: doc is missing path: \(pointer)")
            }
        } whole: {
            value
        }
    }

    /// Removes the value at `pointer`, returning the new document and the removed value.
    private static func remove(at pointer: JSONPointer, in document: JSONValue) throws(JSONPatchError) -> (document: JSONValue, removed: JSONValue) {
        guard let removed = pointer.resolve(in: document) else {
            throw JSONPatchError(isMalformed: false, description: "remove operation does not apply: doc is missing path: \(pointer)")
        }
        let result = try modify(document, tokens: pointer.tokens[...], pointer: pointer) { container, token throws(JSONPatchError) in
            switch container {
            case .object(var members):
                members.removeValue(forKey: token)
                return .object(members)
            case .array(var elements):
                guard let index = JSONPointer.arrayIndex(token), index < elements.count else {
                    throw JSONPatchError(isMalformed: false, description: "remove operation does not apply: index out of range: \(pointer)")
                }
                elements.remove(at: index)
                return .array(elements)
            default:
                throw JSONPatchError(isMalformed: false, description: "remove operation does not apply: doc is missing path: \(pointer)")
            }
        } whole: {
            .null
        }
        return (result, removed)
    }

    /// Walks to the parent of the last token and lets `edit` change it, rebuilding the path.
    private static func modify(
        _ document: JSONValue,
        tokens: ArraySlice<String>,
        pointer: JSONPointer,
        edit: (JSONValue, String) throws(JSONPatchError) -> JSONValue,
        whole: () -> JSONValue
    ) throws(JSONPatchError) -> JSONValue {
        guard let first = tokens.first else { return whole() }
        if tokens.count == 1 {
            return try edit(document, first)
        }
        let rest = tokens.dropFirst()
        switch document {
        case .object(var members):
            guard let child = members[first] else {
                throw JSONPatchError(isMalformed: false, description: "doc is missing path: \(pointer)")
            }
            members[first] = try modify(child, tokens: rest, pointer: pointer, edit: edit, whole: whole)
            return .object(members)
        case .array(var elements):
            guard let index = JSONPointer.arrayIndex(first), index < elements.count else {
                throw JSONPatchError(isMalformed: false, description: "doc is missing path: \(pointer)")
            }
            elements[index] = try modify(elements[index], tokens: rest, pointer: pointer, edit: edit, whole: whole)
            return .array(elements)
        default:
            throw JSONPatchError(isMalformed: false, description: "doc is missing path: \(pointer)")
        }
    }
}
