/// The Go types a template can observe.
///
/// `text/template` is driven by reflection: whether a value may be passed to a function,
/// how it prints, how `eq` compares it and what `typeOf`/`kindOf` report all depend on its
/// exact Go type (`int` is not `int64`; `[]string` is not `[]interface {}`). Values in this
/// module therefore carry their Go type, limited to the types the reference function set can
/// produce from a `map[string]string` of secrets.
indirect enum GoType: Hashable, Sendable {
    case bool
    case int
    case int64
    case int32
    case uint8
    case uint32
    case float64
    case complex128
    case string
    /// `interface {}`: the static type of list elements, map values and Sprig results.
    case interface
    case slice(GoType)
    case map(key: GoType, value: GoType)

    /// `map[string]interface {}`, what `dict`, `fromJson` and `urlParse` build.
    static let stringAnyMap = GoType.map(key: .string, value: .interface)
    /// `map[string]string`, the type of the secret data itself and of `split` results.
    static let stringStringMap = GoType.map(key: .string, value: .string)
    /// `[]interface {}`, what `list` builds.
    static let anySlice = GoType.slice(.interface)

    /// The type as `reflect.Type.String()` spells it (`%T`, `typeOf`, error messages).
    var name: String {
        switch self {
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .int32: return "int32"
        case .uint8: return "uint8"
        case .uint32: return "uint32"
        case .float64: return "float64"
        case .complex128: return "complex128"
        case .string: return "string"
        case .interface: return "interface {}"
        case .slice(let element): return "[]" + element.name
        case .map(let key, let value): return "map[\(key.name)]\(value.name)"
        }
    }

    var kind: GoKind {
        switch self {
        case .bool: return .bool
        case .int: return .int
        case .int64: return .int64
        case .int32: return .int32
        case .uint8: return .uint8
        case .uint32: return .uint32
        case .float64: return .float64
        case .complex128: return .complex128
        case .string: return .string
        case .interface: return .interface
        case .slice: return .slice
        case .map: return .map
        }
    }

    /// Whether an untyped `nil` can take this type (`reflect.Zero` gives a nil value).
    var canBeNil: Bool {
        switch self {
        case .interface, .slice, .map: return true
        default: return false
        }
    }
}

/// `reflect.Kind`, as far as templates can observe it.
enum GoKind: Sendable {
    case invalid, bool, int, int64, int32, uint8, uint32, float64, complex128, string, interface, slice, map

    /// `reflect.Kind.String()`, what Sprig's `kindOf` returns.
    var name: String {
        switch self {
        case .invalid: return "invalid"
        case .bool: return "bool"
        case .int: return "int"
        case .int64: return "int64"
        case .int32: return "int32"
        case .uint8: return "uint8"
        case .uint32: return "uint32"
        case .float64: return "float64"
        case .complex128: return "complex128"
        case .string: return "string"
        case .interface: return "interface"
        case .slice: return "slice"
        case .map: return "map"
        }
    }

    var isSignedInteger: Bool { self == .int || self == .int64 || self == .int32 }
    var isUnsignedInteger: Bool { self == .uint8 || self == .uint32 }
}
