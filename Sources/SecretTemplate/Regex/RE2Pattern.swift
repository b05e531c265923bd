/// A Go `regexp` (RE2 syntax and semantics, linear time) for callers outside templates: SOPS's
/// `encrypted_regex`/`unencrypted_regex` and `.sops.yaml` `path_regex` are Go regular
/// expressions, so matching them with another dialect could encrypt a different set of keys.
package struct RE2Pattern: Sendable {
    private let machine: RegexMachine

    /// - Throws: ``RE2PatternError`` with Go's wording of what is wrong with the pattern.
    package init(_ pattern: String) throws(RE2PatternError) {
        do {
            machine = RegexMachine(program: try RegexProgram(try RegexParser.parse(Array(pattern.utf8))))
        } catch {
            throw RE2PatternError(message: error.message)
        }
    }

    /// Go's `regexp.MatchString`: true when the pattern matches anywhere in `text`.
    package func matches(_ text: String) -> Bool {
        // Linear-time matching needs no work budget here: inputs are key names and paths.
        (try? machine.match(Array(text.utf8), from: 0, charge: { (_: Int) throws(TemplateFailure) in })) != nil
    }
}

/// A pattern Go's `regexp.Compile` would reject.
package struct RE2PatternError: Error, Sendable, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
