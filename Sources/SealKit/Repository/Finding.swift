/// One problem `sealkit guard` or `sealkit lint` found, placed at `file:line` so an editor, a
/// CI log or a code-scanning UI can jump to it. The message names fields, keys and rules,
/// never a secret value: the report itself may end up in a public CI log.
public struct Finding: Sendable, Equatable {
    public enum Level: String, Sendable {
        case error
        case warning
    }

    /// The check that fired (`plaintext-secret`, `scope-mismatch`, …); see ``FindingRule``.
    public var rule: String
    public var level: Level
    /// The file as the user named it (relative to the current directory or the repository).
    public var file: String
    /// 1-based line; 1 when the problem is the whole file.
    public var line: Int
    public var column: Int?
    public var message: String
    /// Set when the policy's allow-list accepts this finding: the reason given there.
    public var allowedBecause: String?

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
    public var id: String
    public var summary: String
    /// Why it matters and what to do, for `--help`-style listings and SARIF's help text.
    public var help: String
    public var level: Finding.Level

    public init(id: String, summary: String, help: String, level: Finding.Level = .error) {
        self.id = id
        self.summary = summary
        self.help = help
        self.level = level
    }
}
