/// Sprig's type conversion functions. All of them swallow errors: an unconvertible value
/// becomes zero, as in the reference (`atoi "abc"` is 0, not an error).
enum SprigConversions {
    static let functions: [String: TemplateFunction] = [
        "toString": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            .string(try Cast.string(a[0], context))
        },
        "atoi": TemplateFunction([.string]) { _, a in
            switch GoStrconv.atoi(a[0].str) {
            case .success(let v): return .int(v, .int)
            // strconv.Atoi returns the clamped value alongside a range error.
            case .failure(.range): return .int(a[0].str.first == UInt8(ascii: "-") ? Int64.min : Int64.max, .int)
            case .failure: return .int(0, .int)
            }
        },
        "int64": TemplateFunction([.any]) { _, a in .int(Cast.toInt64(a[0]), .int64) },
        "int": TemplateFunction([.any]) { _, a in .int(Cast.toInt64(a[0]), .int) },
        "float64": TemplateFunction([.any]) { _, a in .float(Cast.toFloat64(a[0])) },
        "toDecimal": TemplateFunction([.any]) { context, a throws(TemplateFailure) in
            // Reads the printed value as an octal number (Unix permissions).
            let text = try GoFormatter.formatValue(a[0], byteLimit: context.maxValueSize)
            if case .success(let v) = GoStrconv.parseInt(text, base: 8) { return .int64(v) }
            return .int64(0)
        },
        "seq": TemplateFunction([], variadic: .int) { context, a throws(TemplateFailure) in
            .string(try sequence(a.map(\.integer), context))
        },
    ]

    /// `seq`: like the Unix command (`seq 3`, `seq 2 5`, `seq 0 2 10`), counting down when
    /// the end is below the start.
    static func sequence(_ params: [Int64], _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        var values: [Int64]
        switch params.count {
        case 1:
            let end = params[0]
            let increment: Int64 = end < 1 ? -1 : 1
            values = try SprigMath.untilStep(1, end &+ increment, increment, context)
        case 2:
            let start = params[0], end = params[1]
            let step: Int64 = end < start ? -1 : 1
            values = try SprigMath.untilStep(start, end &+ step, step, context)
        case 3:
            let start = params[0], step = params[1], end = params[2]
            var increment: Int64 = 1
            if end < start {
                increment = -1
                if step > 0 { return [] }
            }
            values = try SprigMath.untilStep(start, end &+ increment, step, context)
        default:
            return []
        }
        return GoStrings.join(values.map { Array(String($0).utf8) }, separator: [0x20])
    }
}
