/// The Go parameter types of template functions.
///
/// `text/template` converts arguments to the declared parameter types with reflection: a
/// literal `3` becomes an `int` for an `int` parameter, a string value is rejected by an
/// `int` parameter, and `interface {}` accepts anything. Declaring each function's Go
/// signature reproduces those rules (and their error messages) exactly.
enum ParamType: Sendable {
    /// `interface {}`
    case any
    /// `reflect.Value`, used by the builtins that inspect their arguments themselves.
    case reflectValue
    case string
    case int
    case int64
    case uint32
    case float64
    case bool
    /// `map[string]interface {}`
    case stringMap

    /// The concrete Go type; nil for the two "anything" types.
    var goType: GoType? {
        switch self {
        case .any, .reflectValue: return nil
        case .string: return .string
        case .int: return .int
        case .int64: return .int64
        case .uint32: return .uint32
        case .float64: return .float64
        case .bool: return .bool
        case .stringMap: return .stringAnyMap
        }
    }

    var name: String {
        switch self {
        case .any: return "interface {}"
        case .reflectValue: return "reflect.Value"
        default: return goType?.name ?? "interface {}"
        }
    }

    var canBeNil: Bool {
        switch self {
        case .any, .reflectValue, .stringMap: return true
        default: return false
        }
    }

    /// `reflect.Zero` of the type, for an untyped nil or a missing value.
    var zeroForNil: Value {
        switch self {
        case .stringMap: return .map(.nilMap(valueType: .interface))
        case .reflectValue: return .invalid
        default: return .nilInterface
        }
    }
}

/// What a template function sees of the execution: the resource budget and the facts it
/// needs to keep errors free of secret data.
final class CallContext {
    let limits: TemplateLimits
    /// Every string literal in the template source; text equal to one of them is not secret.
    let templateLiterals: Set<[UInt8]>
    let digests: TemplateDigests
    private(set) var steps = 0

    init(limits: TemplateLimits, templateLiterals: Set<[UInt8]>, digests: TemplateDigests) {
        self.limits = limits
        self.templateLiterals = templateLiterals
        self.digests = digests
    }

    /// Largest string, list or map a function may produce. Intermediate values may exceed
    /// the output limit (a value can be hashed or measured rather than printed) but not by
    /// an unbounded factor.
    var maxValueSize: Int { limits.maxValueSize }

    /// Counts `units` of work against `maxSteps`.
    @inline(__always)
    func charge(_ units: Int = 1) throws(TemplateFailure) {
        steps += units
        if steps > limits.maxSteps {
            throw .limit("execution exceeds \(limits.maxSteps) steps")
        }
    }

    /// Rejects a value of `size` bytes or elements that a function is about to build.
    func checkSize(_ size: Int) throws(TemplateFailure) {
        if size > maxValueSize {
            throw .limit("a value would exceed \(maxValueSize) bytes")
        }
        // Building a large value is work too: one step per kilobyte.
        try charge(size >> 10)
    }
}

/// A function callable from templates: its Go signature and its implementation.
struct TemplateFunction: Sendable {
    /// Builtins that `text/template` special-cases in `evalCall`.
    enum Special: Sendable {
        case none, and, or, call
    }

    typealias Implementation = @Sendable (_ context: CallContext, _ args: [Value]) throws(TemplateFailure) -> Value

    let params: [ParamType]
    /// Element type of a final `...T` parameter.
    let variadic: ParamType?
    let special: Special
    let isBuiltin: Bool
    let implementation: Implementation

    init(_ params: [ParamType], variadic: ParamType? = nil, special: Special = .none, builtin: Bool = false,
         _ implementation: @escaping Implementation) {
        self.params = params
        self.variadic = variadic
        self.special = special
        self.isBuiltin = builtin
        self.implementation = implementation
    }
}

/// The function map: Go's builtins overlaid with Sprig's `GenericFuncMap` minus `env`,
/// `expandenv` and `getHostByName`, exactly as the Sealed Secrets controller builds it.
enum FunctionTable {
    static let functions: [String: TemplateFunction] = {
        var table = Builtins.functions
        for part in sprigTables {
            // Sprig's entries take precedence over builtins of the same name (`slice`).
            table.merge(part) { _, sprig in sprig }
        }
        return table
    }()

    static func exists(_ name: String) -> Bool { functions[name] != nil }

    /// Sprig's `GenericFuncMap`, grouped by theme.
    private static let sprigTables: [[String: TemplateFunction]] = [
        SprigStrings.functions, SprigConversions.functions, SprigMath.functions,
        SprigLists.functions, SprigDicts.functions, SprigDefaults.functions,
        SprigEncoding.functions, SprigRegex.functions, SprigPaths.functions,
        SprigReflection.functions, SprigCrypto.functions, SprigNetwork.functions,
    ]
}

// MARK: Helpers shared by function implementations

/// A Go error returned by a template function ("error calling NAME: message").
@inline(__always)
func functionError(_ message: String) -> TemplateFailure { .function(message) }

extension Value {
    /// The bytes of a `string` argument (the executor guarantees the type).
    var str: [UInt8] {
        if case .string(let s) = self { return s }
        return []
    }

    /// The value of an `int`/`int64` argument.
    var integer: Int64 {
        if case .int(let v, _) = self { return v }
        return 0
    }

    var boolean: Bool {
        if case .bool(let b) = self { return b }
        return false
    }

    var double: Double {
        if case .float(let f) = self { return f }
        return 0
    }

    /// The map of a `map[string]interface {}` argument.
    var stringMap: GoMap {
        if case .map(let m) = self { return m }
        return .nilMap(valueType: .interface)
    }
}
