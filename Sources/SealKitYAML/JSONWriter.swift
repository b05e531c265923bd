/// Writes ``Node`` trees as JSON: two-space indentation like `kubectl -o json`, keys in the
/// tree's order. Plain scalars that are not valid JSON literals (`0x1F`, `.inf`) are written as
/// strings, so the output is always valid JSON.
public enum JSONWriter {
    public static func write(_ node: Node, pretty: Bool = true) -> [UInt8] {
        var output: [UInt8] = []
        write(node, indent: 0, pretty: pretty, into: &output)
        if pretty { output.append(UInt8(ascii: "\n")) }
        return output
    }

    private static func write(_ node: Node, indent: Int, pretty: Bool, into output: inout [UInt8]) {
        switch node {
        case .scalar(let scalar):
            writeScalar(scalar, into: &output)
        case .sequence(let items):
            writeContainer(open: "[", close: "]", count: items.count, indent: indent, pretty: pretty, into: &output) { index, output in
                write(items[index], indent: indent + 1, pretty: pretty, into: &output)
            }
        case .mapping(let mapping):
            let entries = mapping.entries
            writeContainer(open: "{", close: "}", count: entries.count, indent: indent, pretty: pretty, into: &output) { index, output in
                writeString(entries[index].key, into: &output)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                write(entries[index].value, indent: indent + 1, pretty: pretty, into: &output)
            }
        }
    }

    private static func writeContainer(
        open: Unicode.Scalar, close: Unicode.Scalar, count: Int, indent: Int, pretty: Bool,
        into output: inout [UInt8], element: (Int, inout [UInt8]) -> Void
    ) {
        output.append(UInt8(ascii: open))
        guard count > 0 else {
            output.append(UInt8(ascii: close))
            return
        }
        for index in 0 ..< count {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            if pretty { newline(indent + 1, into: &output) }
            element(index, &output)
        }
        if pretty { newline(indent, into: &output) }
        output.append(UInt8(ascii: close))
    }

    private static func newline(_ indent: Int, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static func writeScalar(_ scalar: Scalar, into output: inout [UInt8]) {
        switch scalar.kind {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool:
            output.append(contentsOf: (scalar.boolValue == true ? "true" : "false").utf8)
        case .int, .float:
            if isJSONNumber(scalar.text) {
                output.append(contentsOf: scalar.text.utf8)
            } else {
                writeString(scalar.text, into: &output)
            }
        case .string:
            writeString(scalar.text, into: &output)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Runs of bytes that need no escape (all of a base64 ciphertext) are copied whole.
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart ..< index]))
                let length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                let scalarBytes = UnsafeBufferPointer(rebasing: bytes[index ..< min(index + length, bytes.count)])
                writeScalar(decodeScalar(scalarBytes), utf8: scalarBytes, into: &output)
                index += scalarBytes.count
                runStart = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart ..< bytes.count]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// One character outside the plain printable ASCII range, escaped or as it was.
    private static func writeScalar(_ scalar: Unicode.Scalar, utf8: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        switch scalar {
        case "\"": output.append(contentsOf: "\\\"".utf8)
        case "\\": output.append(contentsOf: "\\\\".utf8)
        case "\n": output.append(contentsOf: "\\n".utf8)
        case "\r": output.append(contentsOf: "\\r".utf8)
        case "\t": output.append(contentsOf: "\\t".utf8)
        default:
            if escapesAsUnicode(scalar) {
                output.append(contentsOf: "\\u".utf8)
                for shift in stride(from: 12, through: 0, by: -4) {
                    output.append(hexDigits[Int((scalar.value >> UInt32(shift)) & 0xF)])
                }
            } else {
                output.append(contentsOf: utf8)
            }
        }
    }

    /// The scalar a String's (so valid) UTF-8 sequence encodes.
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
    }

    /// Characters written as `\uXXXX`: JSON's control characters, and those that libyaml
    /// refuses raw (DEL, C1 controls, U+FEFF, U+FFFE, U+FFFF) or takes for a line break (NEL
    /// U+0085, U+2028, U+2029). libyaml still reads SealKit's JSON where positions matter
    /// (`reseal`'s scalar locator) and for what the JSON reader declines, so a raw NEL read
    /// back as a space and a raw C1 control as an error (found by fuzzing).
    static func escapesAsUnicode(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0 ..< 0x20, 0x7F ... 0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][-+]?[0-9]+)?`
    static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return false }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { while isDigit(index) { index += 1 } }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        return index == bytes.count
    }
}
