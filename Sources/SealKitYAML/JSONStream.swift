/// Splits a stream of concatenated JSON values (`{...}{...}` or one per line) into one byte
/// range per value, so each can be parsed on its own. It tracks only nesting and string state;
/// the real parsing (and every syntax error) is libyaml's.
package enum JSONStream {
    package static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first(where: { !isWhitespace($0) }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    static func split(_ bytes: [UInt8]) throws(YAMLError) -> [[UInt8]] {
        try splitRanges(bytes).map { Array(bytes[$0]) }
    }

    /// The byte range of each top-level value.
    static func splitRanges(_ bytes: [UInt8]) throws(YAMLError) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start: Int?
        var line = 1
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { start = index }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                guard depth >= 0 else { throw YAMLError("unbalanced '\(Character(Unicode.Scalar(byte)))'", document: chunks.count + 1, line: line) }
                if depth == 0, let begin = start {
                    chunks.append(begin ..< index + 1)
                    start = nil
                }
            default:
                guard depth > 0 || isWhitespace(byte) else {
                    throw YAMLError("unexpected data between JSON values", document: chunks.count + 1, line: line)
                }
            }
        }
        if depth != 0 || inString {
            throw YAMLError("unexpected end of JSON input", document: chunks.count + 1, line: line)
        }
        return chunks
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
