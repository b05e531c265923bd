/// A `.sealkit.yaml` that cannot be used: unreadable, a field of the wrong type, an unknown key
/// (a typo would otherwise silently weaken the policy), a rule naming a cluster that does not
/// exist. Says where — the field path and line — so the fix is one look away.
public struct PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the field (`rules[1].scope: …`).
    public var message: String
    /// 1-based line in the policy file, when known.
    public var line: Int?

    init(_ message: String, line: Int? = nil) {
        self.message = message
        self.line = line
    }

    /// `line N: message`, to follow the file name in an error line.
    public var description: String {
        line.map { "line \($0): \(message)" } ?? message
    }
}
