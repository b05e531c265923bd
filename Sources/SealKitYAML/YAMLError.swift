/// Input that is not well-formed YAML or JSON. Carries the position so the message can point
/// at it; never carries scalar content, which may be a secret.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based document index within the stream, when known.
    public var document: Int?
    /// 1-based line and column, when known.
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(_ message: String, document: Int? = nil, line: Int? = nil, column: Int? = nil) {
        self.message = message
        self.document = document
        self.line = line
        self.column = column
    }

    public var description: String {
        var parts: [String] = []
        if let document { parts.append("document \(document)") }
        if let line {
            parts.append(column.map { "line \(line) column \($0)" } ?? "line \(line)")
        }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
