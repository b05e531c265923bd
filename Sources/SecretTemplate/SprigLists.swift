/// Sprig's list functions (`list.go`). They accept any slice type through reflection and
/// return `[]interface {}`; the plain variants panic where the `must` variants return an
/// error, and both surface as "error calling NAME: ..." in the template.
enum SprigLists {
    static let functions: [String: TemplateFunction] = {
        var table: [String: TemplateFunction] = [
            "list": TemplateFunction([], variadic: .any) { context, a throws(TemplateFailure) in
                try context.checkSize(a.count)
                return .list(a.map(\.boxed))
            },
            "tuple": TemplateFunction([], variadic: .any) { context, a throws(TemplateFailure) in
                try context.checkSize(a.count)
                return .list(a.map(\.boxed))
            },
            "concat": TemplateFunction([], variadic: .any) { context, a throws(TemplateFailure) in
                var result: [Value] = []
                for list in a {
                    guard case .slice(let slice) = list else {
                        throw functionError("Cannot concat type \(kindName(list)) as list")
                    }
                    result.append(contentsOf: slice.elements)
                    try context.checkSize(result.count)
                }
                // A nil []interface {} when nothing was appended.
                return result.isEmpty ? .slice(.nilSlice(of: .interface)) : .list(result)
            },
            "sortAlpha": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
                try sortAlpha(a[0], context)
            },
            "join": TemplateFunction([.string, .any]) { context, a throws(TemplateFailure) in
                let joined = GoStrings.join(try Cast.stringSlice(a[1], context), separator: a[0].str)
                try context.checkSize(joined.count)
                return .string(joined)
            },
            "toStrings": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
                if case .slice(let slice) = a[0], slice.elementType == .string { return a[0] }
                return .stringList(try Cast.stringSlice(a[0], context))
            },
            "has": TemplateFunction([.any, .any]) { _, a throws(TemplateFailure) in try has(a[0], in: a[1]) },
            "mustHas": TemplateFunction([.any, .any]) { _, a throws(TemplateFailure) in try has(a[0], in: a[1]) },
        ]
        // Functions that exist in a panicking and a `must` (error returning) variant; the
        // message is the same either way.
        let pairs: [(String, String, TemplateFunction)] = [
            ("append", "mustAppend", TemplateFunction([.any, .any]) { context, a throws(TemplateFailure) in
                let elements = try sliceElements(a[0], "Cannot push on type")
                try context.checkSize(elements.count + 1)
                return .list(elements + [a[1].boxed])
            }),
            ("prepend", "mustPrepend", TemplateFunction([.any, .any]) { context, a throws(TemplateFailure) in
                let elements = try sliceElements(a[0], "Cannot prepend on type")
                try context.checkSize(elements.count + 1)
                return .list([a[1].boxed] + elements)
            }),
            ("first", "mustFirst", TemplateFunction([.any]) { _, a throws(TemplateFailure) in
                try sliceElements(a[0], "Cannot find first on type").first ?? .nilInterface
            }),
            ("last", "mustLast", TemplateFunction([.any]) { _, a throws(TemplateFailure) in
                try sliceElements(a[0], "Cannot find last on type").last ?? .nilInterface
            }),
            ("rest", "mustRest", TemplateFunction([.any]) { _, a throws(TemplateFailure) in
                let elements = try sliceElements(a[0], "Cannot find rest on type")
                return elements.isEmpty ? .slice(.nilSlice(of: .interface)) : .list(Array(elements.dropFirst()))
            }),
            ("initial", "mustInitial", TemplateFunction([.any]) { _, a throws(TemplateFailure) in
                let elements = try sliceElements(a[0], "Cannot find initial on type")
                return elements.isEmpty ? .slice(.nilSlice(of: .interface)) : .list(Array(elements.dropLast()))
            }),
            ("reverse", "mustReverse", TemplateFunction([.any]) { _, a throws(TemplateFailure) in
                .list(Array(try sliceElements(a[0], "Cannot find reverse on type").reversed()))
            }),
            ("uniq", "mustUniq", TemplateFunction([.any]) { _, a throws(TemplateFailure) in
                var unique: [Value] = []
                for element in try sliceElements(a[0], "Cannot find uniq on type") {
                    var seen = false
                    for kept in unique where try DeepEqual.equal(kept, element) {
                        seen = true
                        break
                    }
                    if !seen { unique.append(element) }
                }
                return .list(unique)
            }),
            ("without", "mustWithout", TemplateFunction([.any], variadic: .any) { _, a throws(TemplateFailure) in
                let omit = Array(a.dropFirst()).map(\.boxed)
                var kept: [Value] = []
                for element in try sliceElements(a[0], "Cannot find without on type") {
                    var excluded = false
                    for candidate in omit where try DeepEqual.equal(candidate, element) {
                        excluded = true
                        break
                    }
                    if !excluded { kept.append(element) }
                }
                return .list(kept)
            }),
            ("compact", "mustCompact", TemplateFunction([.any]) { _, a throws(TemplateFailure) in
                .list(try sliceElements(a[0], "Cannot compact on type").filter { !SprigDefaults.isEmpty($0) })
            }),
            ("slice", "mustSlice", TemplateFunction([.any], variadic: .any) { _, a throws(TemplateFailure) in
                try slice(a[0], Array(a.dropFirst()))
            }),
            ("chunk", "mustChunk", TemplateFunction([.int, .any]) { context, a throws(TemplateFailure) in
                try chunk(size: a[0].integer, a[1], context)
            }),
        ]
        for (plain, must, function) in pairs {
            table[plain] = function
            table[must] = function
        }
        table["push"] = table["append"]
        table["mustPush"] = table["append"]
        return table
    }()

    /// `reflect.TypeOf(v).Kind()` as Sprig prints it in its error messages.
    static func kindName(_ value: Value) -> String {
        value.kind.name
    }

    /// The elements of any slice, as `interface {}` values. A nil argument makes
    /// `reflect.TypeOf(nil).Kind()` dereference nil in Go.
    static func sliceElements(_ value: Value, _ message: String) throws(TemplateFailure) -> [Value] {
        switch value {
        case .slice(let slice):
            return slice.elements.map(\.boxed)
        case .invalid, .nilInterface:
            throw functionError("runtime error: invalid memory address or nil pointer dereference")
        default:
            throw functionError("\(message) \(kindName(value))")
        }
    }

    private static func has(_ needle: Value, in haystack: Value) throws(TemplateFailure) -> Value {
        if haystack.isNilArgument { return .bool(false) }
        for element in try sliceElements(haystack, "Cannot find has on type") where try DeepEqual.equal(needle.boxed, element) {
            return .bool(true)
        }
        return .bool(false)
    }

    /// Sprig's `slice list [start [end]]`: reflection slicing that keeps the list's type and
    /// shares its storage. An empty list gives nil.
    private static func slice(_ list: Value, _ indices: [Value]) throws(TemplateFailure) -> Value {
        guard case .slice(let slice) = list else {
            if list.isNilArgument {
                throw functionError("runtime error: invalid memory address or nil pointer dereference")
            }
            throw functionError("list should be type of slice or array but \(kindName(list))")
        }
        if slice.count == 0 { return .nilInterface }
        let start = indices.count > 0 ? Cast.toInt64(indices[0]) : 0
        let end = indices.count > 1 ? Cast.toInt64(indices[1]) : Int64(slice.count)
        guard start >= 0, end >= start, end <= Int64(slice.capacity) else {
            throw functionError("reflect.Value.Slice: slice index out of range")
        }
        return .slice(slice.sliced(Int(start), Int(end)))
    }

    /// Sprig's `chunk size list`: consecutive groups of `size` elements.
    private static func chunk(size: Int64, _ list: Value, _ context: CallContext) throws(TemplateFailure) -> Value {
        guard case .slice(let slice) = list else {
            if list.isNilArgument {
                throw functionError("runtime error: invalid memory address or nil pointer dereference")
            }
            throw functionError("Cannot chunk type \(kindName(list))")
        }
        if size <= 0 { throw functionError("runtime error: makeslice: len out of range") }
        let elements = slice.elements.map(\.boxed)
        try context.checkSize(elements.count)
        var chunks: [Value] = []
        var index = 0
        while index < elements.count {
            let end = index + Int(min(size, Int64(elements.count - index)))
            chunks.append(.list(Array(elements[index..<end])))
            index = end
        }
        return .slice(GoSlice(elements: chunks, elementType: .anySlice))
    }

    /// `sortAlpha`: string forms sorted bytewise. A `[]string` is sorted in place, as in Go.
    private static func sortAlpha(_ value: Value, _ context: CallContext) throws(TemplateFailure) -> Value {
        guard case .slice(let slice) = value else {
            return .stringList([try Cast.string(value, context)])
        }
        let sorted = try Cast.stringSlice(value, context).sorted(by: GoStrings.less)
        if slice.elementType == .string {
            slice.replaceElements(with: sorted.map { .string($0) })
            return value
        }
        return .stringList(sorted)
    }
}

/// `reflect.DeepEqual` on template values: same dynamic types and deeply equal contents;
/// a nil slice or map differs from an empty one.
enum DeepEqual {
    static func equal(_ a: Value, _ b: Value, depth: Int = 0) throws(TemplateFailure) -> Bool {
        if depth > GoJSON.maxDepth { throw .limit("value nesting exceeds \(GoJSON.maxDepth) levels") }
        switch (a, b) {
        case (.invalid, _), (.nilInterface, _), (_, .invalid), (_, .nilInterface):
            return a.isNilArgument && b.isNilArgument
        case (.bool(let x), .bool(let y)):
            return x == y
        case (.int(let x, let tx), .int(let y, let ty)):
            return tx == ty && x == y
        case (.float(let x), .float(let y)):
            return x == y
        case (.complex(let r1, let i1), .complex(let r2, let i2)):
            return r1 == r2 && i1 == i2
        case (.string(let x), .string(let y)):
            return x == y
        case (.slice(let x), .slice(let y)):
            guard x.elementType == y.elementType, x.isNil == y.isNil, x.count == y.count else { return false }
            for i in 0..<x.count where !(try equal(x[i], y[i], depth: depth + 1)) { return false }
            return true
        case (.map(let x), .map(let y)):
            guard x.valueType == y.valueType, x.isNil == y.isNil, x.count == y.count else { return false }
            if x.storage === y.storage { return true }
            for entry in x.sortedEntries {
                guard let other = y[entry.key], try equal(entry.value, other, depth: depth + 1) else { return false }
            }
            return true
        default:
            return false
        }
    }
}
