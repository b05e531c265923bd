import Foundation

/// Sprig's math functions. Integer functions convert every argument with `cast.ToInt64`
/// and return `int64` (so their results do not fit `int` parameters such as `repeat`'s);
/// the `...f` functions compute in decimal and return `float64`.
enum SprigMath {
    static let functions: [String: TemplateFunction] = [
        "add1": TemplateFunction([.any]) { _, a in .int64(Cast.toInt64(a[0]) &+ 1) },
        "add": TemplateFunction([], variadic: .any) { _, a in
            .int64(a.reduce(Int64(0)) { $0 &+ Cast.toInt64($1) })
        },
        "sub": TemplateFunction([.any, .any]) { _, a in .int64(Cast.toInt64(a[0]) &- Cast.toInt64(a[1])) },
        "div": TemplateFunction([.any, .any]) { _, a throws(TemplateFailure) in
            let divisor = Cast.toInt64(a[1])
            if divisor == 0 { throw functionError("runtime error: integer divide by zero") }
            // Go wraps MinInt64 / -1 back to MinInt64.
            return .int64(Cast.toInt64(a[0]).dividedReportingOverflow(by: divisor).partialValue)
        },
        "mod": TemplateFunction([.any, .any]) { _, a throws(TemplateFailure) in
            let divisor = Cast.toInt64(a[1])
            if divisor == 0 { throw functionError("runtime error: integer divide by zero") }
            return .int64(Cast.toInt64(a[0]).remainderReportingOverflow(dividingBy: divisor).partialValue)
        },
        "mul": TemplateFunction([.any], variadic: .any) { _, a in
            .int64(a.dropFirst().reduce(Cast.toInt64(a[0])) { $0 &* Cast.toInt64($1) })
        },
        "randInt": TemplateFunction([.int, .int]) { _, a throws(TemplateFailure) in
            let low = a[0].integer, high = a[1].integer
            let (span, overflow) = high.subtractingReportingOverflow(low)
            if overflow || span <= 0 { throw functionError("invalid argument to Intn") }
            return .int(Int64.random(in: 0..<span) + low, .int)
        },
        "add1f": TemplateFunction([.any]) { _, a throws(TemplateFailure) in
            .float(try decimalOperation(a[0], [.float(1)]) { x, y throws(TemplateFailure) in x + y })
        },
        "addf": TemplateFunction([], variadic: .any) { _, a throws(TemplateFailure) in
            .float(try decimalOperation(.float(0), a) { x, y throws(TemplateFailure) in x + y })
        },
        "subf": TemplateFunction([.any], variadic: .any) { _, a throws(TemplateFailure) in
            .float(try decimalOperation(a[0], Array(a.dropFirst())) { x, y throws(TemplateFailure) in x - y })
        },
        "mulf": TemplateFunction([.any], variadic: .any) { _, a throws(TemplateFailure) in
            .float(try decimalOperation(a[0], Array(a.dropFirst())) { x, y throws(TemplateFailure) in x * y })
        },
        "divf": TemplateFunction([.any], variadic: .any) { _, a throws(TemplateFailure) in
            .float(try decimalOperation(a[0], Array(a.dropFirst())) { x, y throws(TemplateFailure) in try x.divided(by: y) })
        },
        "biggest": TemplateFunction([.any], variadic: .any) { _, a in .int64(a.map(Cast.toInt64).max()!) },
        "max": TemplateFunction([.any], variadic: .any) { _, a in .int64(a.map(Cast.toInt64).max()!) },
        "min": TemplateFunction([.any], variadic: .any) { _, a in .int64(a.map(Cast.toInt64).min()!) },
        "maxf": TemplateFunction([.any], variadic: .any) { _, a in
            .float(a.dropFirst().reduce(Cast.toFloat64(a[0])) { goMax($0, Cast.toFloat64($1)) })
        },
        "minf": TemplateFunction([.any], variadic: .any) { _, a in
            .float(a.dropFirst().reduce(Cast.toFloat64(a[0])) { goMin($0, Cast.toFloat64($1)) })
        },
        "ceil": TemplateFunction([.any]) { _, a in .float(Cast.toFloat64(a[0]).rounded(.up)) },
        "floor": TemplateFunction([.any]) { _, a in .float(Cast.toFloat64(a[0]).rounded(.down)) },
        "round": TemplateFunction([.any, .int], variadic: .float64) { _, a in
            .float(round(Cast.toFloat64(a[0]), places: Double(a[1].integer), roundOn: a.count > 2 ? a[2].double : 0.5))
        },
        "until": TemplateFunction([.int]) { context, a throws(TemplateFailure) in
            let count = a[0].integer
            return intList(try untilStep(0, count, count < 0 ? -1 : 1, context))
        },
        "untilStep": TemplateFunction([.int, .int, .int]) { context, a throws(TemplateFailure) in
            intList(try untilStep(a[0].integer, a[1].integer, a[2].integer, context))
        },
    ]

    private static func intList(_ values: [Int64]) -> Value {
        .slice(GoSlice(elements: values.map { .int($0, .int) }, elementType: .int))
    }

    /// `untilStep`: `start, start+step, ...` up to (excluding) `stop`, in either direction.
    ///
    /// Go's `i += step` wraps on overflow, so a step that jumps past the end of the `int`
    /// range keeps going from the other end (Go then usually runs out of memory). The loop
    /// wraps the same way and stops with a limit error once the list is too long.
    static func untilStep(_ start: Int64, _ stop: Int64, _ step: Int64, _ context: CallContext) throws(TemplateFailure) -> [Int64] {
        let descending = stop < start
        if descending ? step >= 0 : step <= 0 { return [] }
        let maxElements = context.maxValueSize / 8
        // Without wrap-around the list has exactly this many elements; with it, more.
        let distance = descending ? start.subtractingReportingOverflow(stop) : stop.subtractingReportingOverflow(start)
        let magnitude = step.magnitude
        let count = distance.overflow ? UInt64.max : (UInt64(distance.partialValue) + magnitude - 1) / magnitude
        if count > UInt64(maxElements) {
            throw .limit("a list would exceed \(maxElements) elements")
        }
        try context.checkSize(Int(count) * 8)
        var values: [Int64] = []
        values.reserveCapacity(Int(count))
        var i = start
        while descending ? i > stop : i < stop {
            if values.count == maxElements {
                throw .limit("a list would exceed \(maxElements) elements")
            }
            values.append(i)
            i = i &+ step
        }
        return values
    }

    /// `execDecimalOp`: folds the arguments in decimal, then converts back to float64.
    private static func decimalOperation(_ first: Value, _ rest: [Value], _ operation: (GoDecimal, GoDecimal) throws(TemplateFailure) -> GoDecimal) throws(TemplateFailure) -> Double {
        var result = try GoDecimal(Cast.toFloat64(first))
        for value in rest {
            result = try operation(result, GoDecimal(Cast.toFloat64(value)))
        }
        return result.double
    }

    /// `math.Max`: NaN wins, and +0 is larger than -0.
    static func goMax(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x > 0 || y.isInfinite && y > 0 { return .infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? y : x }
        return x > y ? x : y
    }

    /// `math.Min`.
    static func goMin(_ x: Double, _ y: Double) -> Double {
        if x.isInfinite && x < 0 || y.isInfinite && y < 0 { return -.infinity }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 && x == y { return x.sign == .minus ? x : y }
        return x < y ? x : y
    }

    /// Sprig's `round`: rounds up from `roundOn` in the first discarded fraction.
    static func round(_ value: Double, places: Double, roundOn: Double) -> Double {
        let pow = Foundation.pow(10, places)
        let digit = pow * value
        let fraction = digit - digit.rounded(.towardZero)
        let rounded = fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)
        return rounded / pow
    }
}
