/// One parsed YAML or JSON value: the common data model of every manifest SealKit reads or
/// writes. Scalars keep their source text, so nothing is silently retyped on the way through
/// (`"0123"`, `"yes"` and `"1e3"` stay the strings they were).
public enum Node: Sendable, Equatable {
    case scalar(Scalar)
    case sequence([Node])
    case mapping(Mapping)

    /// A string scalar (written quoted when its text would otherwise read as another type).
    public static func string(_ text: String) -> Node { .scalar(Scalar(text, style: .quoted)) }

    public static let null: Node = .scalar(Scalar("null", style: .plain))

    public static func bool(_ value: Bool) -> Node { .scalar(Scalar(value ? "true" : "false", style: .plain)) }

    public static func int(_ value: Int) -> Node { .scalar(Scalar(String(value), style: .plain)) }

    public var scalar: Scalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    public var mapping: Mapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    public var sequence: [Node]? {
        if case .sequence(let items) = self { return items }
        return nil
    }

    public var isNull: Bool { scalar?.kind == .null }

    /// A human name for the node's kind, for error messages ("expected a mapping, found a list").
    public var kindDescription: String {
        switch self {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: "null"
            case .bool: "a boolean"
            case .int, .float: "a number"
            case .string: "a string"
            }
        }
    }
}

/// A scalar and how it was written. Only plain (unquoted) scalars can resolve to null, booleans
/// or numbers; quoted ones are always strings.
public struct Scalar: Sendable, Equatable {
    public enum Style: Sendable, Equatable {
        case plain
        case quoted
    }

    /// What a scalar means under the YAML 1.2 core schema (which JSON is a subset of).
    public enum Kind: Sendable, Equatable {
        case null, bool, int, float, string
    }

    public var text: String
    public var style: Style

    public init(_ text: String, style: Style) {
        self.text = text
        self.style = style
    }

    public var kind: Kind {
        style == .quoted ? .string : ScalarResolution.resolvePlain(text)
    }

    /// The boolean value, for `true`/`false` in their YAML 1.2 spellings.
    public var boolValue: Bool? {
        guard kind == .bool else { return nil }
        return text.lowercased() == "true"
    }
}

/// An ordered mapping with string keys. Order is kept as read, so a document written back out
/// reads like the one that came in.
public struct Mapping: Sendable, Equatable, Sequence {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: Node

        public init(key: String, value: Node) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var entries: [Entry]

    public init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    public init(_ pairs: KeyValuePairs<String, Node>) {
        entries = pairs.map { Entry(key: $0.key, value: $0.value) }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var keys: [String] { entries.map(\.key) }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// Looks up, replaces in place (keeping the key's position), appends, or removes (`nil`).
    public subscript(key: String) -> Node? {
        get { entries.first { $0.key == key }?.value }
        set {
            let index = entries.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append(Entry(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// A mapping of strings with keys sorted, as Go's encoders write maps.
    public static func sortedStrings(_ dictionary: [String: String]) -> Mapping {
        Mapping(dictionary.keys.sorted().map { Entry(key: $0, value: .string(dictionary[$0]!)) })
    }
}
