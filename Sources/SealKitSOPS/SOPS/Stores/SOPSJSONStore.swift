internal import SealKitYAML

/// SOPS's JSON store: one branch, key order kept, every number a float64 (Go's decoder), no
/// comments. Written back as SOPS writes it: `json.Indent` with tabs, and a final newline.
enum SOPSJSONStore {
    static func load(_ bytes: [UInt8], source: String) throws(SOPSError) -> [[SOPSItem]] {
        let documents: [CommentedYAMLReader.Document]
        do { documents = try CommentedYAMLReader.documents(bytes) } catch {
            throw SOPSError(.malformed, "\(source): not valid JSON: \(error)")
        }
        guard documents.count == 1, case .mapping(let items)? = documents[0].root else {
            throw SOPSError(.malformed, "\(source): a SOPS JSON file holds one JSON object")
        }
        return [try mapping(items, source: source)]
    }

    private static func mapping(_ items: [CommentedNode.MappingItem], source: String) throws(SOPSError) -> [SOPSItem] {
        var result: [SOPSItem] = []
        for item in items {
            guard case .entry(let key, let value) = item else {
                throw SOPSError(.malformed, "\(source): JSON has no comments")
            }
            result.append(.entry(key.text, try node(value, source: source)))
        }
        return result
    }

    private static func node(_ node: CommentedNode, source: String) throws(SOPSError) -> SOPSValue {
        switch node {
        case .mapping(let items): return .mapping(try mapping(items, source: source))
        case .sequence(let items):
            var values: [SOPSValue] = []
            for item in items {
                guard case .node(let value) = item else { throw SOPSError(.malformed, "\(source): JSON has no comments") }
                values.append(try self.node(value, source: source))
            }
            return .sequence(values)
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.text) }
            switch scalar.text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null": return .null
            default:
                guard let number = Double(scalar.text) else {
                    throw SOPSError(.malformed, "\(source): invalid JSON value")
                }
                return .float(number)
            }
        }
    }

    static func emit(_ branches: [[SOPSItem]]) -> [UInt8] {
        var out: [UInt8] = []
        writeMapping(branches.first ?? [], depth: 0, into: &out)
        out.append(0x0A)
        return out
    }

    static func emitValue(_ value: SOPSValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, depth: 0, into: &out)
        out.append(0x0A)
        return out
    }

    private static func newline(_ depth: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        out += [UInt8](repeating: 0x09, count: depth)
    }

    private static func writeMapping(_ items: [SOPSItem], depth: Int, into out: inout [UInt8]) {
        let entries = items.compactMap { item -> (String, SOPSValue)? in
            if case .entry(let key, let value) = item { return (key, value) }
            return nil
        }
        out.append(UInt8(ascii: "{"))
        for (index, entry) in entries.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            newline(depth + 1, into: &out)
            out += Array(goJSONString(entry.0).utf8) + Array(": ".utf8)
            write(entry.1, depth: depth + 1, into: &out)
        }
        if !entries.isEmpty { newline(depth, into: &out) }
        out.append(UInt8(ascii: "}"))
    }

    private static func write(_ value: SOPSValue, depth: Int, into out: inout [UInt8]) {
        switch value {
        case .mapping(let items): writeMapping(items, depth: depth, into: &out)
        case .sequence(let items):
            let values = items.filter { if case .comment = $0 { false } else { true } }
            out.append(UInt8(ascii: "["))
            for (index, item) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1, into: &out)
                write(item, depth: depth + 1, into: &out)
            }
            if !values.isEmpty { newline(depth, into: &out) }
            out.append(UInt8(ascii: "]"))
        case .string(let text), .time(let text): out += Array(goJSONString(text).utf8)
        case .binary(let bytes): out += Array(goJSONString(String(decoding: bytes, as: UTF8.self)).utf8)
        case .int(let number): out += Array(String(number).utf8)
        case .float(let number): out += Array(GoFormatting.formatJSON(number).utf8)
        case .bool(let flag): out += Array((flag ? "true" : "false").utf8)
        case .null: out += Array("null".utf8)
        case .comment: break
        }
    }

    /// `json.Marshal` of a string: HTML-safe escapes (`<`, `>`, `&`), U+2028/2029 escaped,
    /// control characters as `\u00XX` except `\n`, `\r`, `\t`, `\b`, `\f`.
    static func goJSONString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x3C, 0x3E, 0x26, 0x2028, 0x2029, 0x00..<0x20:
                let digits = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
