/// The predefined functions of `text/template` (`funcs.go`): logic, comparison, indexing,
/// printing and escaping. Go's own `slice` builtin is shadowed by Sprig's `slice` in the
/// reference function map, so it is not provided here.
enum Builtins {
    static let functions: [String: TemplateFunction] = [
        "and": TemplateFunction([.reflectValue], variadic: .reflectValue, special: .and, builtin: true) { _, _ in .invalid },
        "or": TemplateFunction([.reflectValue], variadic: .reflectValue, special: .or, builtin: true) { _, _ in .invalid },
        "not": TemplateFunction([.reflectValue], builtin: true) { _, args in .bool(!args[0].indirected.isTrue) },
        "call": TemplateFunction([.reflectValue], variadic: .reflectValue, special: .call, builtin: true, call),
        "len": TemplateFunction([.reflectValue], builtin: true, length),
        "index": TemplateFunction([.reflectValue], variadic: .reflectValue, builtin: true, index),
        "print": TemplateFunction([], variadic: .any, builtin: true) { context, args throws(TemplateFailure) in
            .string(try GoFormatter.sprint(args, byteLimit: context.maxValueSize))
        },
        "println": TemplateFunction([], variadic: .any, builtin: true) { context, args throws(TemplateFailure) in
            .string(try GoFormatter.sprintln(args, byteLimit: context.maxValueSize))
        },
        "printf": TemplateFunction([.string], variadic: .any, builtin: true) { context, args throws(TemplateFailure) in
            .string(try GoFormatter.sprintf(args[0].str, Array(args.dropFirst()), byteLimit: context.maxValueSize))
        },
        "html": TemplateFunction([], variadic: .any, builtin: true) { context, args throws(TemplateFailure) in
            .string(htmlEscape(try evalArgs(args, context)))
        },
        "js": TemplateFunction([], variadic: .any, builtin: true) { context, args throws(TemplateFailure) in
            .string(jsEscape(try evalArgs(args, context)))
        },
        "urlquery": TemplateFunction([], variadic: .any, builtin: true) { context, args throws(TemplateFailure) in
            .string(queryEscape(try evalArgs(args, context)))
        },
        "eq": TemplateFunction([.reflectValue], variadic: .reflectValue, builtin: true) { _, args throws(TemplateFailure) in
            .bool(try equal(args[0], Array(args.dropFirst())))
        },
        "ne": TemplateFunction([.reflectValue, .reflectValue], builtin: true) { _, args throws(TemplateFailure) in
            .bool(!(try equal(args[0], [args[1]])))
        },
        "lt": TemplateFunction([.reflectValue, .reflectValue], builtin: true) { _, args throws(TemplateFailure) in
            .bool(try less(args[0], args[1]))
        },
        "le": TemplateFunction([.reflectValue, .reflectValue], builtin: true) { _, args throws(TemplateFailure) in
            let lessThan = try less(args[0], args[1])
            return .bool(lessThan ? true : try equal(args[0], [args[1]]))
        },
        "gt": TemplateFunction([.reflectValue, .reflectValue], builtin: true) { _, args throws(TemplateFailure) in
            let lessThan = try less(args[0], args[1])
            return .bool(lessThan ? false : !(try equal(args[0], [args[1]])))
        },
        "ge": TemplateFunction([.reflectValue, .reflectValue], builtin: true) { _, args throws(TemplateFailure) in
            .bool(!(try less(args[0], args[1])))
        },
    ]

    // MARK: call

    /// `call fn args...`: the function value must be a func, and nothing in a template's data
    /// or in this function set evaluates to one, so every call fails as it would in Go.
    private static func call(_ context: CallContext, _ args: [Value]) throws(TemplateFailure) -> Value {
        let callee = args[1].indirected
        if case .invalid = callee { throw functionError("call of nil") }
        throw functionError("non-function \(displayString(args[0].str)) of type \(callee.typeName)")
    }

    // MARK: len and index

    private static func length(_ context: CallContext, _ args: [Value]) throws(TemplateFailure) -> Value {
        switch args[0] {
        case .invalid:
            throw functionError("reflect: call of reflect.Value.Type on zero Value")
        case .nilInterface:
            throw functionError("len of nil pointer")
        case let value:
            guard let n = value.length else { throw functionError("len of type \(value.typeName)") }
            return .int(n)
        }
    }

    private static func index(_ context: CallContext, _ args: [Value]) throws(TemplateFailure) -> Value {
        var item = args[0].indirected
        if case .invalid = item { throw functionError("index of untyped nil") }
        for rawIndex in args.dropFirst() {
            let key = rawIndex.indirected
            switch item {
            case .nilInterface, .invalid:
                throw functionError("index of nil pointer")
            case .slice(let slice):
                let x = try indexArgument(key, count: slice.count)
                if x == slice.count { throw functionError("reflect: slice index out of range") }
                item = slice[x]
            case .string(let s):
                let x = try indexArgument(key, count: s.count)
                if x == s.count { throw functionError("reflect: string index out of range") }
                item = .int(Int64(s[x]), .uint8)
            case .map(let map):
                switch key {
                case .invalid:
                    throw functionError("value is nil; should be of type string")
                case .string(let k):
                    if let found = map[k] {
                        item = found
                    } else {
                        item = map.valueType == .string ? .string([]) : .nilInterface
                    }
                default:
                    throw functionError("value has type \(key.typeName); should be string")
                }
            default:
                throw functionError("can't index item of type \(item.typeName)")
            }
        }
        return item
    }

    /// `indexArg`: an integer in `0...count`.
    private static func indexArgument(_ index: Value, count: Int) throws(TemplateFailure) -> Int {
        switch index {
        case .int(let x, _):
            if x < 0 || x > Int64(count) { throw functionError("index out of range") }
            return Int(x)
        case .invalid:
            throw functionError("cannot index slice/array with nil")
        default:
            throw functionError("cannot index slice/array with type \(index.typeName)")
        }
    }

    // MARK: Comparison

    private enum BasicKind { case invalid, bool, complex, int, float, string, uint }

    private static func basicKind(_ v: Value) -> BasicKind {
        switch v {
        case .bool: return .bool
        case .int(_, let t): return t.kind.isUnsignedInteger ? .uint : .int
        case .float: return .float
        case .complex: return .complex
        case .string: return .string
        default: return .invalid
        }
    }

    /// `eq arg1 arg2 ...`: true when arg1 equals any of the others.
    static func equal(_ first: Value, _ others: [Value]) throws(TemplateFailure) -> Bool {
        let a = first.indirected
        if others.isEmpty { throw functionError("missing argument for comparison") }
        let k1 = basicKind(a)
        for other in others {
            let b = other.indirected
            let k2 = basicKind(b)
            var truth = false
            if k1 != k2 {
                if (k1 == .int && k2 == .uint) || (k1 == .uint && k2 == .int) {
                    truth = a.integer >= 0 && b.integer >= 0 && a.integer == b.integer
                } else if !a.isInvalid && !b.isInvalid {
                    throw functionError("incompatible types for comparison: \(a.typeName) and \(b.typeName)")
                }
            } else {
                switch (a, b) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.complex(let r1, let i1), .complex(let r2, let i2)): truth = r1 == r2 && i1 == i2
                case (.float(let x), .float(let y)): truth = x == y
                case (.int(let x, _), .int(let y, _)): truth = x == y
                case (.string(let x), .string(let y)): truth = x == y
                default:
                    // Non-basic values: comparable only to nil.
                    let sameKind = a.kind == b.kind || a.isInvalid || b.isInvalid
                    if !sameKind {
                        throw functionError("non-comparable types \(a.typeName) and \(b.typeName)")
                    }
                    if a.isNilValue || b.isNilValue {
                        truth = a.isNilValue == b.isNilValue
                    } else {
                        throw functionError("non-comparable type \(b.typeName)")
                    }
                }
            }
            if truth { return true }
        }
        return false
    }

    /// `lt arg1 arg2`.
    static func less(_ first: Value, _ second: Value) throws(TemplateFailure) -> Bool {
        let a = first.indirected
        let b = second.indirected
        let k1 = basicKind(a)
        let k2 = basicKind(b)
        if k1 == .invalid || k2 == .invalid { throw functionError("invalid type for comparison") }
        if k1 != k2 {
            if k1 == .int && k2 == .uint { return a.integer < 0 || a.integer < b.integer }
            if k1 == .uint && k2 == .int { return b.integer >= 0 && a.integer < b.integer }
            throw functionError("incompatible types for comparison: \(a.typeName) and \(b.typeName)")
        }
        switch (a, b) {
        case (.float(let x), .float(let y)): return x < y
        case (.int(let x, _), .int(let y, _)): return x < y
        case (.string(let x), .string(let y)): return GoStrings.less(x, y)
        default: throw functionError("invalid type for comparison")
        }
    }

    // MARK: Escaping

    /// `evalArgs`: a single string argument as is, otherwise `fmt.Sprint` of the arguments
    /// with missing values shown as "<no value>".
    private static func evalArgs(_ args: [Value], _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        if args.count == 1, case .string(let s) = args[0] { return s }
        let printable = args.map { $0.isNilArgument ? Value.string(Array("<no value>".utf8)) : $0 }
        return try GoFormatter.sprint(printable, byteLimit: context.maxValueSize)
    }

    /// `template.HTMLEscapeString`.
    static func htmlEscape(_ s: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        for b in s {
            switch b {
            case 0: out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            case UInt8(ascii: "\""): out.append(contentsOf: Array("&#34;".utf8))
            case UInt8(ascii: "'"): out.append(contentsOf: Array("&#39;".utf8))
            case UInt8(ascii: "&"): out.append(contentsOf: Array("&amp;".utf8))
            case UInt8(ascii: "<"): out.append(contentsOf: Array("&lt;".utf8))
            case UInt8(ascii: ">"): out.append(contentsOf: Array("&gt;".utf8))
            default: out.append(b)
            }
        }
        return out
    }

    /// `template.JSEscapeString`.
    static func jsEscape(_ s: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c < 0x80 {
                switch c {
                case UInt8(ascii: "\\"): out.append(contentsOf: Array("\\\\".utf8))
                case UInt8(ascii: "'"): out.append(contentsOf: Array("\\'".utf8))
                case UInt8(ascii: "\""): out.append(contentsOf: Array("\\\"".utf8))
                case UInt8(ascii: "<"): out.append(contentsOf: Array("\\u003C".utf8))
                case UInt8(ascii: ">"): out.append(contentsOf: Array("\\u003E".utf8))
                case UInt8(ascii: "&"): out.append(contentsOf: Array("\\u0026".utf8))
                case UInt8(ascii: "="): out.append(contentsOf: Array("\\u003D".utf8))
                case 0..<0x20:
                    out.append(contentsOf: Array("\\u00".utf8))
                    out.append(hex[Int(c >> 4)])
                    out.append(hex[Int(c & 0xF)])
                default:
                    out.append(c)
                }
                i += 1
                continue
            }
            let (r, width) = GoUTF8.decode(s, at: i)
            if GoUnicode.isPrint(r) {
                out.append(contentsOf: s[i..<(i + width)])
            } else {
                var digits = Array(String(r, radix: 16, uppercase: true).utf8)
                while digits.count < 4 { digits.insert(UInt8(ascii: "0"), at: 0) }
                out.append(contentsOf: Array("\\u".utf8))
                out.append(contentsOf: digits)
            }
            i += width
        }
        return out
    }

    /// `url.QueryEscape`.
    static func queryEscape(_ s: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(c)
            case UInt8(ascii: " "):
                out.append(UInt8(ascii: "+"))
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(c >> 4)])
                out.append(hex[Int(c & 0xF)])
            }
        }
        return out
    }
}

extension Value {
    var isInvalid: Bool {
        if case .invalid = self { return true }
        return false
    }

    /// `isNil` of `funcs.go`: invalid, or a nil slice, map or interface.
    var isNilValue: Bool {
        switch self {
        case .invalid, .nilInterface: return true
        case .slice(let s): return s.isNil
        case .map(let m): return m.isNil
        default: return false
        }
    }
}
