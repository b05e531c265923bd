/// The ASCII armor age writes with `-a` (C2SP age spec, "ASCII armor"): strict PEM-style
/// `-----BEGIN AGE ENCRYPTED FILE-----`, padded base64 in 64-column lines, the END line.
/// Whitespace is allowed around the armor and CRLF line ends inside it, nothing else.
public enum AgeArmor {
    static let header = "-----BEGIN AGE ENCRYPTED FILE-----"
    static let footer = "-----END AGE ENCRYPTED FILE-----"

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// True when `bytes`, after leading whitespace, start like armor (`-----`); such input is
    /// decoded as armor, so malformed armor gets an armor error rather than a header one.
    public static func looksArmored(_ bytes: [UInt8]) -> Bool {
        guard let start = bytes.prefix(1024).firstIndex(where: { !isSpace($0) }) else { return false }
        return bytes[start...].starts(with: Array("-----".utf8))
    }

    public static func encode(_ binary: [UInt8]) -> [UInt8] {
        var out = Array(header.utf8) + [0x0A]
        let encoded = Array(Base64Padded.encode(binary).utf8)
        var index = 0
        while index < encoded.count {
            let end = min(index + 64, encoded.count)
            out += encoded[index..<end] + [0x0A]
            index = end
        }
        out += Array(footer.utf8) + [0x0A]
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(AgeError) -> [UInt8] {
        let start = bytes.firstIndex(where: { !isSpace($0) }) ?? bytes.endIndex
        var lines: [ArraySlice<UInt8>] = []
        var cursor = start
        var footerEnd: Int?
        while cursor < bytes.count {
            let end = bytes[cursor...].firstIndex(of: 0x0A) ?? bytes.count
            var line = bytes[cursor..<end]
            if line.last == 0x0D { line = line.dropLast() }
            cursor = min(end + 1, bytes.count)
            if Array(line) == Array(footer.utf8) { footerEnd = cursor; break }
            lines.append(line)
        }
        guard let first = lines.first, Array(first) == Array(header.utf8) else {
            throw AgeError(.armor, "malformed age armor: no -----BEGIN AGE ENCRYPTED FILE----- line")
        }
        guard let footerEnd else { throw AgeError(.armor, "malformed age armor: no -----END AGE ENCRYPTED FILE----- line") }
        guard bytes[footerEnd...].allSatisfy(isSpace) else {
            throw AgeError(.armor, "malformed age armor: data after the END line")
        }
        let body = lines.dropFirst()
        var text: [UInt8] = []
        for (index, line) in body.enumerated() {
            let isLast = index == body.count - 1
            guard !line.isEmpty, line.count <= 64, isLast || line.count == 64, line.count % 4 == 0 else {
                throw AgeError(.armor, "malformed age armor: bad line length")
            }
            text += line
        }
        guard let decoded = Base64Padded.decode(text) else {
            throw AgeError(.armor, "malformed age armor: invalid base64")
        }
        return decoded
    }
}

/// Padded standard base64 with the canonical-encoding rule (unused bits zero, `=` only at the
/// very end), for the armor.
enum Base64Padded {
    static func encode(_ bytes: [UInt8]) -> String {
        let raw = RawBase64.encode(bytes)
        return raw + String(repeating: "=", count: (4 - raw.utf8.count % 4) % 4)
    }

    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard text.count % 4 == 0 else { return nil }
        var body = text[...]
        var padding = 0
        while body.last == UInt8(ascii: "="), padding < 2 {
            body = body.dropLast()
            padding += 1
        }
        guard padding == 0 || body.count % 4 == 4 - padding else { return nil }
        return RawBase64.decode(body)
    }
}
