/// SOPS's dotenv store: `KEY=value` lines (the value taken verbatim after the first `=`, with
/// `\n` read as a newline), `#` comment lines; metadata flattened into `sops_…` keys.
enum SOPSDotenvStore {
    static func load(_ bytes: [UInt8], source: String) throws(SOPSError) -> [[SOPSItem]] {
        var items: [SOPSItem] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            if line.first == UInt8(ascii: "#") {
                items.append(.comment(String(decoding: line.dropFirst(), as: UTF8.self), inline: false))
                continue
            }
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
                throw SOPSError(.malformed, "\(source): line \(index + 1): invalid dotenv line (no '=')")
            }
            let value = String(decoding: line[(equals + 1)...], as: UTF8.self).replacingOccurrences(of: "\\n", with: "\n")
            items.append(.entry(String(decoding: line[..<equals], as: UTF8.self), .string(value)))
        }
        return [items]
    }

    static func emit(_ branches: [[SOPSItem]]) throws(SOPSError) -> [UInt8] {
        var out = ""
        for item in branches.first ?? [] {
            switch item {
            case .comment(let text, _):
                out += "#\(text)\n"
            case .entry(let key, let value):
                out += "\(key)=\(try flatString(value, key: key).replacingOccurrences(of: "\n", with: "\\n"))\n"
            }
        }
        return Array(out.utf8)
    }

    /// `stores.ValToString` for the flat formats.
    static func flatString(_ value: SOPSValue, key: String) throws(SOPSError) -> String {
        switch value {
        case .string(let text), .time(let text): return text
        case .int(let number): return String(number)
        case .float(let number):
            var text = GoFormatting.formatG(number).uppercased()
            if !text.contains(".") && !text.contains("E") { text = GoFormatting.formatF(number) + ".0" }
            return text.replacingOccurrences(of: "E+", with: "E+")
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "<nil>"
        case .comment(let text, _): return text
        case .binary(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .mapping, .sequence:
            throw SOPSError(.invalidArgument, "cannot use complex value in a flat file; offending key \(key)")
        }
    }
}

/// SOPS's binary store: the whole file is one string under `data`, stored as SOPS JSON.
enum SOPSBinaryStore {
    static func load(_ bytes: [UInt8]) -> [[SOPSItem]] {
        [[.entry("data", SOPSValue.text(bytes))]]
    }

    static func emit(_ branches: [[SOPSItem]]) throws(SOPSError) -> [UInt8] {
        for item in branches.first ?? [] {
            if case .entry("data", let value) = item {
                switch value {
                case .string(let text): return Array(text.utf8)
                case .binary(let bytes): return bytes
                default: throw SOPSError(.malformed, "the 'data' key of a binary SOPS file does not hold a string")
                }
            }
        }
        throw SOPSError(.malformed, "no binary data found in the SOPS file (no 'data' key)")
    }
}
