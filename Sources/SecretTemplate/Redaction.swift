/// Keeps secret data out of error messages.
///
/// Rendering errors end up in controller logs and Kubernetes events, which are readable by
/// far more people than the secrets themselves. Every message in this module is built from
/// template source text, type names and fixed wording only; the two helpers here enforce
/// that where user data could otherwise leak.
enum Redaction {
    /// Shortest secret value the last-resort scrubber looks for. Shorter values ("0", "on")
    /// occur in ordinary wording, and messages are constructed not to contain values anyway.
    static let minimumScrubbedLength = 6

    static let replacement = "[redacted]"

    /// Last line of defence: replaces any occurrence of a (long enough) secret value.
    static func scrub(_ message: String, values: [String: [UInt8]]) -> String {
        var bytes = Array(message.utf8)
        var changed = false
        for value in values.values where value.count >= minimumScrubbedLength {
            if GoStrings.contains(bytes, value) {
                bytes = GoStrings.replaceAll(bytes, value, Array(replacement.utf8))
                changed = true
            }
        }
        return changed ? displayString(bytes) : message
    }

    /// The text `fail` may report: its message when the template spells it out as a string
    /// literal (so it is part of the template, not derived from secrets), otherwise a
    /// placeholder. `fail "password is required"` keeps its message;
    /// `fail (printf "bad %s" .password)` does not.
    static func failMessage(_ message: [UInt8], context: CallContext) -> String {
        if context.templateLiterals.contains(message) {
            return displayString(message)
        }
        return "(message withheld: it is computed from template data)"
    }
}
