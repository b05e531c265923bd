/// Writes ``SOPSValue`` trees as go-yaml v3's encoder does with SOPS's settings (indent 4, no
/// line folding, block style, comments as `#` lines above their item), so a file decrypted or
/// encrypted by SealKit matches what `sops` writes for the same tree.
///
/// Scalar styles follow go-yaml's choice (plain when the string reads back as itself, literal
/// blocks for multi-line strings) and then libyaml's emitter checks (single quotes when plain
/// is not allowed, double quotes when neither single quotes nor a block can carry the text).
struct GoYAMLEmitter {
    static let indent = 4
    private var out: [UInt8] = []

    /// One or more documents (SOPS's branches), separated by `---`.
    static func emit(_ documents: [[SOPSItem]]) -> [UInt8] {
        var emitter = GoYAMLEmitter()
        for (index, items) in documents.enumerated() {
            if index > 0 { emitter.write("---\n") }
            emitter.mappingBody(items, indent: 0)
        }
        return emitter.out
    }

    /// A single value as `sops decrypt --extract` prints a non-scalar.
    static func emitValue(_ value: SOPSValue) -> [UInt8] {
        var emitter = GoYAMLEmitter()
        switch value {
        case .mapping(let items): emitter.mappingBody(items, indent: 0)
        case .sequence(let items): emitter.sequenceBody(items, indent: 0)
        default:
            emitter.scalarValue(value, blockIndent: Self.indent, simpleKey: false)
            emitter.write("\n")
        }
        return emitter.out
    }

    private mutating func write(_ text: String) { out += Array(text.utf8) }
    private mutating func spaces(_ count: Int) { out += [UInt8](repeating: 0x20, count: count) }

    private static func isEmptyCollection(_ value: SOPSValue) -> Bool {
        switch value {
        case .mapping(let items): items.allSatisfy { $0.key == nil } && items.isEmpty
        case .sequence(let items): items.isEmpty
        default: false
        }
    }

    /// Writes the items of a block mapping whose keys start at column `indent`. The first line
    /// may already have its indentation written (`firstIndented`, inside a sequence item).
    private mutating func mappingBody(_ items: [SOPSItem], indent: Int, firstIndented: Bool = false) {
        var first = true
        for item in items {
            if !(first && firstIndented) { spaces(indent) }
            first = false
            switch item {
            case .comment(let text, _):
                write("#\(text)\n")
            case .entry(let key, let value):
                writeString(key, indent: Self.indent * ((indent + Self.indent) / Self.indent), simpleKey: true)
                write(":")
                // go-yaml aligns a mapping's children to the next multiple of the indent.
                let child = Self.indent * ((indent + Self.indent) / Self.indent)
                switch value {
                case .mapping(let children) where !children.isEmpty:
                    write("\n")
                    mappingBody(children, indent: child)
                case .sequence(let children) where !children.isEmpty:
                    write("\n")
                    sequenceBody(children, indent: child)
                default:
                    write(" ")
                    scalarValue(value, blockIndent: child, simpleKey: false)
                    write("\n")
                }
            }
        }
        if items.isEmpty && firstIndented { write("{}\n") }
    }

    /// Writes block sequence items with their dashes at column `indent`.
    private mutating func sequenceBody(_ items: [SOPSValue], indent: Int, firstIndented: Bool = false) {
        var first = true
        for item in items {
            if !(first && firstIndented) { spaces(indent) }
            first = false
            if case .comment(let text, _) = item {
                write("#\(text)\n")
                continue
            }
            write("- ")
            switch item {
            case .mapping(let children) where !children.isEmpty:
                if case .comment = children[0] {
                    // "- " cannot be followed by a comment line and then the mapping's first key
                    // on the same line; start the mapping on the next line.
                    out.removeLast()
                    write("\n")
                    mappingBody(children, indent: indent + 2)
                } else {
                    mappingBody(children, indent: indent + 2, firstIndented: true)
                }
            case .sequence(let children) where !children.isEmpty:
                sequenceBody(children, indent: indent + 2, firstIndented: true)
            default:
                // Inside a sequence item, go-yaml indents by the "- " only.
                scalarValue(item, blockIndent: indent + 2, simpleKey: false)
                write("\n")
            }
        }
    }

    /// A scalar (or empty collection) after `key: ` or `- `; `blockIndent` is the column of a
    /// literal block's lines.
    private mutating func scalarValue(_ value: SOPSValue, blockIndent: Int, simpleKey: Bool) {
        switch value {
        case .string(let text): writeString(text, indent: blockIndent, simpleKey: simpleKey)
        case .int(let number): write(String(number))
        case .float(let number):
            if number.isNaN { write(".nan") } else if number.isInfinite { write(number < 0 ? "-.inf" : ".inf") } else {
                write(GoFormatting.formatG(number))
            }
        case .bool(let flag): write(flag ? "true" : "false")
        case .null: write("null")
        case .time(let text): write(text)
        case .binary(let bytes): writeString(String(decoding: bytes, as: UTF8.self), indent: blockIndent, simpleKey: simpleKey)
        case .comment(let text, _): write("#\(text)")
        case .mapping: write("{}")
        case .sequence: write("[]")
        }
    }

    // MARK: Strings

    private enum Style { case plain, single, double, literal }

    private mutating func writeString(_ text: String, indent: Int, simpleKey: Bool) {
        var style: Style
        if text.contains("\n") {
            style = .literal
        } else if GoYAMLScalars.canUsePlain(text) {
            style = .plain
        } else {
            style = .double
        }
        let analysis = Analysis(text)
        if style == .plain, !analysis.blockPlainAllowed || (text.isEmpty && simpleKey) { style = .single }
        if style == .single, !analysis.singleQuotedAllowed { style = .double }
        if style == .literal, !analysis.blockAllowed || simpleKey { style = .double }
        switch style {
        case .plain: write(text)
        case .single: write("'" + text.replacingOccurrences(of: "'", with: "''") + "'")
        case .double: writeDoubleQuoted(text)
        case .literal: writeLiteral(text, indent: indent)
        }
    }

    private mutating func writeDoubleQuoted(_ text: String) {
        write("\"")
        for scalar in text.unicodeScalars {
            let value = scalar.value
            switch value {
            case 0x00: write("\\0")
            case 0x07: write("\\a")
            case 0x08: write("\\b")
            case 0x09: write("\\t")
            case 0x0A: write("\\n")
            case 0x0B: write("\\v")
            case 0x0C: write("\\f")
            case 0x0D: write("\\r")
            case 0x1B: write("\\e")
            case 0x22: write("\\\"")
            case 0x5C: write("\\\\")
            case 0x85: write("\\N")
            case 0xA0: write("\\_")
            case 0x2028: write("\\L")
            case 0x2029: write("\\P")
            default:
                if Analysis.isPrintable(value) && value != 0xFEFF {
                    write(String(scalar))
                } else if value <= 0xFF {
                    write("\\x" + hex(value, 2))
                } else if value <= 0xFFFF {
                    write("\\u" + hex(value, 4))
                } else {
                    write("\\U" + hex(value, 8))
                }
            }
        }
        write("\"")
    }

    private func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `|`, `|-` or `|+` (with an indentation digit when the text starts with a space or
    /// break), then the lines at `indent`; empty lines carry no indentation.
    private mutating func writeLiteral(_ text: String, indent: Int) {
        write("|")
        let bytes = Array(text.utf8)
        if let first = bytes.first, first == 0x20 || first == 0x0A { write(String(Self.indent)) }
        if bytes.last != 0x0A {
            write("-")
        } else if bytes.count >= 2, bytes[bytes.count - 2] == 0x0A {
            write("+")
        }
        write("\n")
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if bytes.last == 0x0A { lines.removeLast() }
        for line in lines {
            if !line.isEmpty { spaces(indent) }
            out += line
            out.append(0x0A)
        }
        // Each "\n" inside was written as a line end; the trailing newline after the last line
        // is the one the caller would write, so take it back.
        out.removeLast()
    }

    /// libyaml's `yaml_emitter_analyze_scalar`, for the block-context decisions.
    struct Analysis {
        var blockPlainAllowed = true
        var singleQuotedAllowed = true
        var blockAllowed = true

        static func isPrintable(_ value: UInt32) -> Bool {
            value == 0x0A || (0x20...0x7E).contains(value) || value == 0x85 || (0xA0...0xD7FF).contains(value)
                || ((0xE000...0xFFFD).contains(value) && value != 0xFEFF) || (0x10000...0x10FFFF).contains(value)
        }

        init(_ text: String) {
            let scalars = Array(text.unicodeScalars).map(\.value)
            guard !scalars.isEmpty else {
                blockPlainAllowed = false
                blockAllowed = false
                return
            }
            var blockIndicators = false
            if text.hasPrefix("---") || text.hasPrefix("...") { blockIndicators = true }
            var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
            var breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false
            var lineBreaks = false, special = false
            func isBlank(_ index: Int) -> Bool {
                index >= scalars.count || scalars[index] == 0x20 || scalars[index] == 0x09 || scalars[index] == 0x0A || scalars[index] == 0x0D
            }
            var precededByWhitespace = true
            for (index, character) in scalars.enumerated() {
                let followedByWhitespace = isBlank(index + 1)
                if index == 0 {
                    if "#,[]{}&*!|>'\"%@`".unicodeScalars.map(\.value).contains(character) { blockIndicators = true }
                    if (character == 0x3F || character == 0x3A) && followedByWhitespace { blockIndicators = true }
                    if character == 0x2D && followedByWhitespace { blockIndicators = true }
                } else {
                    if character == 0x3A && followedByWhitespace { blockIndicators = true }
                    if character == 0x23 && precededByWhitespace { blockIndicators = true }
                }
                if !Self.isPrintable(character) { special = true }
                let isBreak = character == 0x0A || character == 0x0D || character == 0x85 || character == 0x2028 || character == 0x2029
                if isBreak { lineBreaks = true }
                if character == 0x20 {
                    if index == 0 { leadingSpace = true }
                    if index == scalars.count - 1 { trailingSpace = true }
                    if previousBreak { breakSpace = true }
                    previousSpace = true
                    previousBreak = false
                } else if isBreak {
                    if index == 0 { leadingBreak = true }
                    if index == scalars.count - 1 { trailingBreak = true }
                    if previousSpace { spaceBreak = true }
                    previousBreak = true
                    previousSpace = false
                } else {
                    previousSpace = false
                    previousBreak = false
                }
                precededByWhitespace = isBlank(index)
            }
            if leadingSpace || leadingBreak || trailingSpace || trailingBreak { blockPlainAllowed = false }
            if trailingSpace { blockAllowed = false }
            if breakSpace { blockPlainAllowed = false; singleQuotedAllowed = false }
            if spaceBreak || special { blockPlainAllowed = false; singleQuotedAllowed = false; blockAllowed = false }
            if lineBreaks { blockPlainAllowed = false }
            if blockIndicators { blockPlainAllowed = false }
        }
    }
}
