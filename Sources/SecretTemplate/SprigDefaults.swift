/// Sprig's "defaults" family (`default`, `empty`, `coalesce`, `ternary`, ...), its JSON
/// helpers and `fail`.
enum SprigDefaults {
    static let functions: [String: TemplateFunction] = [
        "default": TemplateFunction([.any], variadic: .any) { _, a in
            // `default d` with nothing piped in, or an empty value, yields `d`.
            if a.count < 2 || isEmpty(a[1]) { return a[0] }
            return a[1]
        },
        "empty": TemplateFunction([.any]) { _, a in .bool(isEmpty(a[0])) },
        "coalesce": TemplateFunction([], variadic: .any) { _, a in
            a.first { !isEmpty($0) } ?? .nilInterface
        },
        "all": TemplateFunction([], variadic: .any) { _, a in .bool(a.allSatisfy { !isEmpty($0) }) },
        "any": TemplateFunction([], variadic: .any) { _, a in .bool(a.contains { !isEmpty($0) }) },
        "ternary": TemplateFunction([.any, .any, .bool]) { _, a in a[2].boolean ? a[0] : a[1] },
        "fromJson": TemplateFunction([.string]) { _, a throws(TemplateFailure) in
            try GoJSON.decode(a[0].str).value
        },
        "mustFromJson": TemplateFunction([.string]) { _, a throws(TemplateFailure) in
            let (value, error) = try GoJSON.decode(a[0].str)
            if let error { throw functionError(error) }
            return value
        },
        "toJson": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            try json(a[0], escapeHTML: true, pretty: false, context, must: false)
        },
        "mustToJson": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            try json(a[0], escapeHTML: true, pretty: false, context, must: true)
        },
        "toPrettyJson": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            try json(a[0], escapeHTML: true, pretty: true, context, must: false)
        },
        "mustToPrettyJson": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            try json(a[0], escapeHTML: true, pretty: true, context, must: true)
        },
        "toRawJson": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            try json(a[0], escapeHTML: false, pretty: false, context, must: false)
        },
        "mustToRawJson": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            try json(a[0], escapeHTML: false, pretty: false, context, must: true)
        },
        "deepCopy": TemplateFunction([.any]) { _, a throws(TemplateFailure) in try deepCopy(a[0], depth: 0) },
        "mustDeepCopy": TemplateFunction([.any]) { _, a throws(TemplateFailure) in try deepCopy(a[0], depth: 0) },
        "fail": TemplateFunction([.string]) { context, a throws(TemplateFailure) in
            throw functionError(Redaction.failMessage(a[0].str, context: context))
        },
    ]

    /// Sprig's `empty`: the zero value of its type (nil, false, 0, "", or a zero-length
    /// list or map).
    static func isEmpty(_ value: Value) -> Bool {
        switch value {
        case .invalid, .nilInterface: return true
        case .bool(let b): return !b
        case .int(let v, _): return v == 0
        case .float(let f): return f == 0
        case .complex(let re, let im): return re == 0 && im == 0
        case .string(let s): return s.isEmpty
        case .slice(let s): return s.count == 0
        case .map(let m): return m.count == 0
        }
    }

    /// The non-`must` variants return "" when encoding fails (`json.Marshal` error ignored).
    private static func json(_ value: Value, escapeHTML: Bool, pretty: Bool, _ context: CallContext, must: Bool) throws(TemplateFailure) -> Value {
        switch try GoJSON.encode(value, escapeHTML: escapeHTML, pretty: pretty, byteLimit: context.maxValueSize) {
        case .success(let text):
            try context.checkSize(text.count)
            return .string(text)
        case .failure(.unsupported(let message)):
            if must { throw functionError(message) }
            return .string([])
        }
    }

    /// `copystructure.Copy`: fresh maps and slices all the way down.
    static func deepCopy(_ value: Value, depth: Int) throws(TemplateFailure) -> Value {
        if depth > GoJSON.maxDepth { throw .limit("value nesting exceeds \(GoJSON.maxDepth) levels") }
        switch value {
        case .slice(let slice):
            if slice.isNil { return value }
            var elements: [Value] = []
            elements.reserveCapacity(slice.count)
            for element in slice.elements { elements.append(try deepCopy(element, depth: depth + 1)) }
            return .slice(GoSlice(elements: elements, elementType: slice.elementType))
        case .map(let map):
            if map.isNil { return value }
            var entries: [[UInt8]: Value] = [:]
            for entry in map.sortedEntries { entries[entry.key] = try deepCopy(entry.value, depth: depth + 1) }
            return .map(GoMap(entries: entries, valueType: map.valueType))
        case .invalid:
            return .nilInterface
        default:
            return value
        }
    }
}
