/// Stops the fuzzer with a message when a property does not hold. A plain `fatalError` is what
/// libFuzzer reports as a crash ("deadly signal") and saves the input for.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("property violated: \(message())", file: file, line: line) }
}
