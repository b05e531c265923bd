import SealKit

/// How closely a written-and-reread tree must match the original.
public enum Fidelity {
    /// Same texts and same resolved types: a YAML writer may change quoting, never meaning.
    case yaml
    /// Same texts, except that JSON spells null and booleans one way (`~` → `null`,
    /// `True` → `true`) and writes a YAML-only number (`0x1F`, `.inf`) as a string.
    case json
}

/// Whether two trees say the same thing: same structure, keys, and scalars under `fidelity`.
public func sameMeaning(_ a: Node, _ b: Node, _ fidelity: Fidelity) -> Bool {
    switch (a, b) {
    case (.scalar(let x), .scalar(let y)):
        switch fidelity {
        case .yaml:
            return x.text == y.text && x.kind == y.kind
        case .json:
            if x.kind == .null || x.kind == .bool { return x.kind == y.kind && x.boolValue == y.boolValue }
            return x.text == y.text
        }
    case (.sequence(let x), .sequence(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { sameMeaning($0, $1, fidelity) }
    case (.mapping(let x), .mapping(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && sameMeaning($0.value, $1.value, fidelity) }
    default:
        return false
    }
}
