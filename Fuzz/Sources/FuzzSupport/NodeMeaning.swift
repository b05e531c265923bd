import SealKit

/// Whether two trees say the same thing: same structure, keys and scalar texts. With
/// `kinds`, scalars must also resolve to the same type (a writer may change quoting, never
/// meaning); without, only the text counts (JSON writes a YAML-only number as a string).
public func sameMeaning(_ a: Node, _ b: Node, kinds: Bool) -> Bool {
    switch (a, b) {
    case (.scalar(let x), .scalar(let y)):
        return x.text == y.text && (!kinds || x.kind == y.kind)
    case (.sequence(let x), .sequence(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { sameMeaning($0, $1, kinds: kinds) }
    case (.mapping(let x), .mapping(let y)):
        return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && sameMeaning($0.value, $1.value, kinds: kinds) }
    default:
        return false
    }
}
