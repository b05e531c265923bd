/// SOPS's INI store (over go-ini): each section is a top-level key whose value maps keys to
/// string values. Parsed and written with go-ini's rules: `;`/`#` comment lines attach to the
/// next section or key, `#`/`;` inside an unquoted value starts a comment, `=` is aligned
/// within a section, sections are separated by a blank line.
enum SOPSINIStore {
    static let defaultSection = "DEFAULT"

    static func load(_ bytes: [UInt8], source: String) throws(SOPSError) -> [[SOPSItem]] {
        var sections: [(name: String, items: [SOPSItem])] = [(defaultSection, [])]
        var pendingComments: [String] = []
        for (index, rawLine) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimming(" \t\r")
            if line.isEmpty { continue }
            if line.hasPrefix(";") || line.hasPrefix("#") {
                pendingComments.append(line)
                continue
            }
            if line.hasPrefix("[") {
                guard let close = line.lastIndex(of: "]") else {
                    throw SOPSError(.malformed, "\(source): line \(index + 1): unclosed section header")
                }
                let name = String(line[line.index(after: line.startIndex)..<close]).trimming(" \t")
                var items: [SOPSItem] = []
                if !pendingComments.isEmpty { items.append(.comment(stripCommentCharacter(pendingComments.joined(separator: "\n")), inline: false)) }
                pendingComments = []
                sections.append((name, items))
                continue
            }
            guard let delimiter = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw SOPSError(.malformed, "\(source): line \(index + 1): key-value delimiter not found")
            }
            var key = String(line[..<delimiter]).trimming(" \t")
            if key.count >= 2, let first = key.first, first == "\"" || first == "`", key.last == first { key = String(key.dropFirst().dropLast()) }
            var value = String(line[line.index(after: delimiter)...]).trimming(" \t")
            var comment = pendingComments.joined(separator: "\n")
            pendingComments = []
            if value.count >= 2, let first = value.first, first == "\"" || first == "`" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            } else if let hash = value.firstIndex(where: { $0 == "#" || $0 == ";" }) {
                comment = String(value[hash...])
                value = String(value[..<hash]).trimming(" \t")
            }
            sections[sections.count - 1].items.append(.entry(key, .string(value)))
            if !comment.isEmpty { sections[sections.count - 1].items.append(.comment(stripCommentCharacter(comment), inline: false)) }
        }
        return [sections.map { .entry($0.name, .mapping($0.items)) }]
    }

    /// go-ini keeps `; text` as the comment; SOPS strips the marker and the spaces after it.
    private static func stripCommentCharacter(_ comment: String) -> String {
        if comment.hasPrefix(";") { return String(comment.drop { $0 == ";" || $0 == " " }) }
        if comment.hasPrefix("#") { return String(comment.drop { $0 == "#" || $0 == " " }) }
        return comment
    }

    static func emit(_ branches: [[SOPSItem]]) throws(SOPSError) -> [UInt8] {
        var blocks: [String] = []
        for item in branches.first ?? [] {
            guard case .entry(let name, let value) = item else { continue }
            guard case .mapping(let items) = value else {
                throw SOPSError(.invalidArgument, "INI section \(name) must hold keys and values")
            }
            var sectionComment: String?
            var keys: [(key: String, value: String, comment: String?)] = []
            for (index, entry) in items.enumerated() {
                switch entry {
                case .comment(let text, _):
                    if index == 0 { sectionComment = text } else if !keys.isEmpty { keys[keys.count - 1].comment = text }
                case .entry(let key, let value):
                    keys.append((key, try SOPSDotenvStore.flatString(value, key: key), nil))
                }
            }
            if name == defaultSection && keys.isEmpty { continue }
            var block = ""
            if let sectionComment { block += commentLines(sectionComment) }
            if name != defaultSection || !blocks.isEmpty { block += "[\(name)]\n" }
            let width = keys.map { $0.key.count }.max() ?? 0
            for key in keys {
                if let comment = key.comment { block += commentLines(comment) }
                block += key.key + String(repeating: " ", count: width - key.key.count) + " = " + quoted(key.value) + "\n"
            }
            blocks.append(block)
        }
        return Array(blocks.joined(separator: "\n").utf8)
    }

    private static func commentLines(_ comment: String) -> String {
        comment.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(";") || line.hasPrefix("#") ? "\(line)\n" : "; \(line)\n"
        }.joined()
    }

    /// go-ini's value quoting on write.
    private static func quoted(_ value: String) -> String {
        if value.contains("\n") { return "\"\"\"\(value)\"\"\"" }
        if value.contains("`") && (value.contains("#") || value.contains(";")) { return "\"\"\"\(value)\"\"\"" }
        if value.contains("#") || value.contains(";") { return "`\(value)`" }
        if value.hasPrefix(" ") || value.hasSuffix(" ") { return "\"\(value)\"" }
        return value
    }
}

extension StringProtocol {
    /// Drops the given characters from both ends.
    func trimming(_ characters: String) -> String {
        let set = Set(characters)
        guard let start = firstIndex(where: { !set.contains($0) }), let end = lastIndex(where: { !set.contains($0) }) else { return "" }
        return String(self[start...end])
    }
}
