/// Sprig's dictionary functions (`dict.go`). Dicts are `map[string]interface {}` and are
/// shared by reference: `set` and `merge` modify the dict they are given.
///
/// Go iterates maps in random order; where Sprig exposes that order (`keys`, `values`)
/// this implementation uses sorted key order, one of the orders Go may produce.
enum SprigDicts {
    static let functions: [String: TemplateFunction] = [
        "dict": TemplateFunction([], variadic: .any) { context, a throws(TemplateFailure) in
            try context.checkSize(a.count)
            var entries: [[UInt8]: Value] = [:]
            var i = 0
            while i < a.count {
                let key = try Cast.string(a[i], context)
                entries[key] = i + 1 < a.count ? a[i + 1].boxed : .string([])
                i += 2
            }
            return .dict(entries)
        },
        "get": TemplateFunction([.stringMap, .string]) { _, a in
            a[0].stringMap[a[1].str] ?? .string([])
        },
        "set": TemplateFunction([.stringMap, .string, .any]) { _, a throws(TemplateFailure) in
            let map = a[0].stringMap
            guard let storage = map.storage else { throw functionError("assignment to entry in nil map") }
            storage.entries[a[1].str] = a[2].boxed
            return a[0]
        },
        "unset": TemplateFunction([.stringMap, .string]) { _, a in
            a[0].stringMap.storage?.entries.removeValue(forKey: a[1].str)
            return a[0]
        },
        "hasKey": TemplateFunction([.stringMap, .string]) { _, a in .bool(a[0].stringMap[a[1].str] != nil) },
        "pluck": TemplateFunction([.string], variadic: .stringMap) { _, a in
            .list(a.dropFirst().compactMap { $0.stringMap[a[0].str] })
        },
        "keys": TemplateFunction([], variadic: .stringMap) { _, a in
            .stringList(a.flatMap { $0.stringMap.sortedKeys })
        },
        "values": TemplateFunction([.stringMap]) { _, a in
            .list(a[0].stringMap.sortedEntries.map(\.value))
        },
        "pick": TemplateFunction([.stringMap], variadic: .string) { _, a in
            let map = a[0].stringMap
            var entries: [[UInt8]: Value] = [:]
            for key in a.dropFirst().map(\.str) {
                if let value = map[key] { entries[key] = value }
            }
            return .dict(entries)
        },
        "omit": TemplateFunction([.stringMap], variadic: .string) { _, a in
            let omitted = Set(a.dropFirst().map(\.str))
            var entries: [[UInt8]: Value] = [:]
            for entry in a[0].stringMap.sortedEntries where !omitted.contains(entry.key) {
                entries[entry.key] = entry.value
            }
            return .dict(entries)
        },
        "merge": TemplateFunction([.stringMap], variadic: .stringMap) { _, a throws(TemplateFailure) in
            try merge(a, overwrite: false)
        },
        "mustMerge": TemplateFunction([.stringMap], variadic: .stringMap) { _, a throws(TemplateFailure) in
            try merge(a, overwrite: false)
        },
        "mergeOverwrite": TemplateFunction([.stringMap], variadic: .stringMap) { _, a throws(TemplateFailure) in
            try merge(a, overwrite: true)
        },
        "mustMergeOverwrite": TemplateFunction([.stringMap], variadic: .stringMap) { _, a throws(TemplateFailure) in
            try merge(a, overwrite: true)
        },
        "dig": TemplateFunction([], variadic: .any) { _, a throws(TemplateFailure) in
            try dig(a)
        },
    ]

    // MARK: dig

    private static func assertionFailure(_ value: Value, expected: String) -> TemplateFailure {
        let actual = value.isNilArgument ? "nil" : value.typeName
        return functionError("interface conversion: interface {} is \(actual), not \(expected)")
    }

    /// `dig "a" "b" default dict`: follows keys through nested dicts.
    private static func dig(_ args: [Value]) throws(TemplateFailure) -> Value {
        if args.count < 3 { throw functionError("dig needs at least three arguments") }
        guard case .map(var map) = args[args.count - 1], map.valueType == .interface else {
            throw assertionFailure(args[args.count - 1], expected: "map[string]interface {}")
        }
        let fallback = args[args.count - 2]
        var keys: [[UInt8]] = []
        for key in args.dropLast(2) {
            guard case .string(let k) = key else { throw assertionFailure(key, expected: "string") }
            keys.append(k)
        }
        for (i, key) in keys.enumerated() {
            guard let step = map[key] else { return fallback }
            if i == keys.count - 1 { return step }
            guard case .map(let next) = step, next.valueType == .interface else {
                throw assertionFailure(step, expected: "map[string]interface {}")
            }
            map = next
        }
        return fallback
    }

    // MARK: merge

    /// mergo's notion of an empty value (dereferencing interfaces).
    private static func isEmptyValue(_ value: Value) -> Bool {
        SprigDefaults.isEmpty(value)
    }

    /// `merge dst src...` / `mergeOverwrite dst src...` with `dario.cat/mergo` semantics:
    /// nested dicts merge recursively; otherwise a key is taken from the source when the
    /// destination lacks it or holds an empty value, or always when overwriting.
    private static func merge(_ args: [Value], overwrite: Bool) throws(TemplateFailure) -> Value {
        var destination = args[0].stringMap
        for source in args.dropFirst() {
            let sourceMap = source.stringMap
            if destination.isNil {
                // mergo replaces a nil destination with a fresh map first.
                if sourceMap.isNil { continue }
                destination = GoMap(entries: [:], valueType: .interface)
            }
            try mergeMaps(into: destination, from: sourceMap, overwrite: overwrite, depth: 0)
        }
        return .map(destination)
    }

    private static func store(_ value: Value, for key: [UInt8], in map: GoMap) throws(TemplateFailure) {
        guard let storage = map.storage else { throw functionError("assignment to entry in nil map") }
        if map.valueType == .string, value.goType != .string {
            throw functionError("reflect.Value.SetMapIndex: value of type \(value.typeName) is not assignable to type string")
        }
        storage.entries[key] = value
    }

    private static func mergeMaps(into destination: GoMap, from source: GoMap, overwrite: Bool, depth: Int) throws(TemplateFailure) {
        if depth > GoJSON.maxDepth { throw .limit("value nesting exceeds \(GoJSON.maxDepth) levels") }
        for (key, sourceValue) in source.sortedEntries {
            let existing = destination[key]
            if case .nilInterface = sourceValue {
                if overwrite { try store(.nilInterface, for: key, in: destination) }
                continue
            }
            switch sourceValue {
            case .map(let sourceMap):
                if let existing, case .map(let destinationMap) = existing,
                   !destinationMap.isNil, destinationMap.valueType == .interface || sourceMap.valueType == .string {
                    try mergeMaps(into: destinationMap, from: sourceMap, overwrite: overwrite, depth: depth + 1)
                }
            case .slice(let sourceSlice):
                if overwrite || destination.count == 0 {
                    try store(sourceValue, for: key, in: destination)
                } else if existing == nil || existing!.isNilArgument {
                    try store(.slice(GoSlice(elements: [], elementType: sourceSlice.elementType)), for: key, in: destination)
                }
            default:
                break
            }
            if let existing, !isEmptyValue(existing) {
                if case .slice = sourceValue { continue }
                if case .map = sourceValue, case .map = existing { continue }
            }
            if overwrite || existing == nil || isEmptyValue(existing!) {
                try store(sourceValue, for: key, in: destination)
            }
        }
    }
}
