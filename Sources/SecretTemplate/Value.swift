/// A Go value as it flows through template execution.
///
/// The cases mirror what `reflect.Value` can hold for the types in `GoType`. Two kinds of
/// "nothing" matter and print differently: `.invalid` is the zero `reflect.Value` (a missing
/// map key, printed `<no value>`), while `.nilInterface` is a valid `interface {}` that holds
/// nil (printed `<nil>`, and an error when a field is read from it).
///
/// Slices and maps are reference types in Go: `set` mutates the dict it is given, and a
/// `slice` of a list shares its backing array. Both are therefore backed by classes.
enum Value {
    case invalid
    case nilInterface
    case bool(Bool)
    /// Integers of every width; the type records which Go integer type the value has.
    case int(Int64, GoType)
    case float(Double)
    case complex(Double, Double)
    case string([UInt8])
    case slice(GoSlice)
    case map(GoMap)

    // MARK: Convenience constructors

    static func int(_ v: Int) -> Value { .int(Int64(v), .int) }
    static func int64(_ v: Int64) -> Value { .int(v, .int64) }
    static func string(_ s: String) -> Value { .string(Array(s.utf8)) }

    /// A new `[]interface {}`.
    static func list(_ elements: [Value]) -> Value {
        .slice(GoSlice(elements: elements, elementType: .interface))
    }

    /// A new `[]string`.
    static func stringList(_ elements: [[UInt8]]) -> Value {
        .slice(GoSlice(elements: elements.map { .string($0) }, elementType: .string))
    }

    /// A new `map[string]interface {}`.
    static func dict(_ entries: [[UInt8]: Value] = [:]) -> Value {
        .map(GoMap(entries: entries, valueType: .interface))
    }

    // MARK: Type information

    /// The dynamic Go type; nil for `.invalid`.
    var goType: GoType? {
        switch self {
        case .invalid: return nil
        case .nilInterface: return .interface
        case .bool: return .bool
        case .int(_, let t): return t
        case .float: return .float64
        case .complex: return .complex128
        case .string: return .string
        case .slice(let s): return .slice(s.elementType)
        case .map(let m): return .map(key: .string, value: m.valueType)
        }
    }

    var kind: GoKind { goType?.kind ?? .invalid }

    /// `%T` of the value: `<nil>` for nil interfaces and invalid values.
    var typeName: String {
        switch self {
        case .invalid, .nilInterface: return "<nil>"
        default: return goType?.name ?? "<nil>"
        }
    }

    /// Whether Go would see a nil interface when this value is passed as `interface {}`.
    var isNilArgument: Bool {
        switch self {
        case .invalid, .nilInterface: return true
        default: return false
        }
    }

    /// `indirectInterface`: a nil interface becomes the invalid value.
    var indirected: Value {
        if case .nilInterface = self { return .invalid }
        return self
    }

    /// The value as it is stored in an `interface {}` container: nothing becomes a nil
    /// interface.
    var boxed: Value {
        if case .invalid = self { return .nilInterface }
        return self
    }

    // MARK: Accessors

    var stringBytes: [UInt8]? {
        if case .string(let s) = self { return s }
        return nil
    }

    var intValue: Int64? {
        if case .int(let v, _) = self { return v }
        return nil
    }

    /// The elements of a slice, or nil for other kinds.
    var sliceElements: [Value]? {
        if case .slice(let s) = self { return s.elements }
        return nil
    }

    /// Length as the `len` builtin reports it, for kinds that have one.
    var length: Int? {
        switch self {
        case .string(let s): return s.count
        case .slice(let s): return s.count
        case .map(let m): return m.count
        default: return nil
        }
    }

    // MARK: Truth

    /// `text/template`'s truth: false for the zero value of the type, true otherwise.
    var isTrue: Bool {
        switch self {
        case .invalid, .nilInterface: return false
        case .bool(let b): return b
        case .int(let v, _): return v != 0
        case .float(let f): return f != 0
        case .complex(let re, let im): return re != 0 || im != 0
        case .string(let s): return !s.isEmpty
        case .slice(let s): return s.count > 0
        case .map(let m): return m.count > 0
        }
    }
}

/// Backing storage shared by slices that alias the same array.
final class SliceStorage {
    var elements: [Value]
    init(_ elements: [Value]) { self.elements = elements }
}

/// A Go slice: a window onto shared storage, or nil.
struct GoSlice {
    let storage: SliceStorage?
    let range: Range<Int>
    let elementType: GoType

    init(elements: [Value], elementType: GoType) {
        storage = SliceStorage(elements)
        range = 0..<elements.count
        self.elementType = elementType
    }

    init(storage: SliceStorage?, range: Range<Int>, elementType: GoType) {
        self.storage = storage
        self.range = range
        self.elementType = elementType
    }

    /// The nil slice of the given element type.
    static func nilSlice(of elementType: GoType) -> GoSlice {
        GoSlice(storage: nil, range: 0..<0, elementType: elementType)
    }

    var isNil: Bool { storage == nil }
    var count: Int { range.count }
    /// Go's `cap`: elements reachable from the start of the window.
    var capacity: Int { (storage?.elements.count ?? 0) - range.lowerBound }

    var elements: [Value] {
        guard let storage else { return [] }
        return Array(storage.elements[range])
    }

    subscript(index: Int) -> Value {
        guard let storage else { return .invalid }
        return storage.elements[range.lowerBound + index]
    }

    /// Go's `s[low:high]`, sharing the backing array.
    func sliced(_ low: Int, _ high: Int) -> GoSlice {
        GoSlice(storage: storage, range: (range.lowerBound + low)..<(range.lowerBound + high), elementType: elementType)
    }

    /// Replaces the visible elements in place (used where Go sorts a slice in place).
    func replaceElements(with newElements: [Value]) {
        guard let storage, newElements.count == range.count else { return }
        storage.elements.replaceSubrange(range, with: newElements)
    }
}

/// Backing storage of a map; identity matters because Go maps are references.
final class MapStorage {
    var entries: [[UInt8]: Value]
    init(_ entries: [[UInt8]: Value]) { self.entries = entries }
}

/// A Go map with string keys (the only key type the function set produces), or nil.
struct GoMap {
    let storage: MapStorage?
    let valueType: GoType

    init(entries: [[UInt8]: Value], valueType: GoType) {
        storage = MapStorage(entries)
        self.valueType = valueType
    }

    init(storage: MapStorage?, valueType: GoType) {
        self.storage = storage
        self.valueType = valueType
    }

    static func nilMap(valueType: GoType) -> GoMap { GoMap(storage: nil, valueType: valueType) }

    var isNil: Bool { storage == nil }
    var count: Int { storage?.entries.count ?? 0 }

    subscript(key: [UInt8]) -> Value? {
        storage?.entries[key]
    }

    /// Keys in Go's sorted order (bytewise), as `range`, `fmt` and JSON use.
    var sortedKeys: [[UInt8]] {
        guard let storage else { return [] }
        return storage.entries.keys.sorted(by: GoStrings.less)
    }

    /// Values in sorted key order.
    var sortedEntries: [(key: [UInt8], value: Value)] {
        guard let storage else { return [] }
        return sortedKeys.map { ($0, storage.entries[$0]!) }
    }
}
