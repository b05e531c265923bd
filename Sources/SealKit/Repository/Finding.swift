/// One problem `sealkit guard` or `sealkit lint` found, placed at `file:line` so an editor, a
/// CI log or a code-scanning UI can jump to it. The message names fields, keys and rules,
/// never a secret value: the report itself may end up in a public CI log.
public struct Finding: Sendable, Equatable {
    /// How SARIF and the text report label the finding.
    public enum Level: String, Sendable {
        case error
        case warning
    }

    /// The check that fired (`plaintext-secret`, `scope-mismatch`, …); see ``FindingRule``.
    public var rule: String
    /// From the rule: every current rule is an error (a finding fails the check).
    public var level: Level
    /// The file as the user named it (relative to the current directory or the repository).
    public var file: String
    /// 1-based line; 1 when the problem is the whole file.
    public var line: Int
    /// 1-based column, when the problem has a precise start.
    public var column: Int?
    /// What is wrong and where in the object (document, item key); never a secret value.
    public var message: String
    /// Set when the policy's allow-list accepts this finding: the reason given there.
    public var allowedBecause: String?

    /// A finding; `allowedBecause` is set later, by the allow-list.
    public init(rule: String, level: Level = .error, file: String, line: Int, column: Int? = nil, message: String,
                allowedBecause: String? = nil) {
        self.rule = rule
        self.level = level
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.allowedBecause = allowedBecause
    }
}

/// A kind of finding: its stable id (what allow-lists and SARIF name) and what it means.
public struct FindingRule: Sendable, Equatable {
    /// Stable id, as allow-lists, `--list-rules` and SARIF `ruleId` write it.
    public var id: String
    /// What it finds, in a few words.
    public var summary: String
    /// Why it matters and what to do, for `--help`-style listings and SARIF's help text.
    public var help: String
    /// The level of its findings.
    public var level: Finding.Level

    /// A rule of the guard or lint catalogue.
    public init(id: String, summary: String, help: String, level: Finding.Level = .error) {
        self.id = id
        self.summary = summary
        self.help = help
        self.level = level
    }
}
