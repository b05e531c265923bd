/// One recipient stanza: `-> TYPE ARG…` and a base64 body wrapped at 64 columns.
struct AgeStanza: Equatable {
    var type: String
    var arguments: [String]
    var body: [UInt8]
}

/// The age v1 header (C2SP age spec, "Header"): the version line, the stanzas, and the
/// `--- MAC` line. Parsing is strict — canonical base64, exact line shapes, LF only — so a
/// header has one byte encoding and the MAC covers exactly what was parsed.
struct AgeHeader {
    static let intro = Array("age-encryption.org/v1\n".utf8)
    static let columns = 64
    static let bytesPerLine = columns / 4 * 3

    var stanzas: [AgeStanza]
    var mac: [UInt8] = []

    /// The header up to and including `---`: the bytes the MAC covers.
    func bytesWithoutMAC() -> [UInt8] {
        var out = Self.intro
        for stanza in stanzas {
            out += Array("-> \(([stanza.type] + stanza.arguments).joined(separator: " "))\n".utf8)
            let encoded = Array(RawBase64.encode(stanza.body).utf8)
            var index = 0
            // Full 64-column lines, then one short line (empty when the body fills the last one).
            while encoded.count - index >= Self.columns {
                out += encoded[index..<(index + Self.columns)] + [0x0A]
                index += Self.columns
            }
            out += encoded[index...] + [0x0A]
        }
        out += Array("---".utf8)
        return out
    }

    func serialized() -> [UInt8] {
        bytesWithoutMAC() + Array(" \(RawBase64.encode(mac))\n".utf8)
    }

    /// Parses the header at the start of `bytes`; returns it and the offset where the payload
    /// (nonce and STREAM) starts.
    static func parse(_ bytes: [UInt8]) throws(AgeError) -> (header: AgeHeader, payloadOffset: Int) {
        var cursor = 0
        func nextLine() throws(AgeError) -> ArraySlice<UInt8> {
            // Header lines are short; a missing newline within a generous bound is malformed.
            guard let end = bytes[cursor...].prefix(8192).firstIndex(of: 0x0A) else {
                throw AgeError(.header, "malformed age header: line without a newline")
            }
            let line = bytes[cursor..<end]
            cursor = end + 1
            return line
        }
        let version = try nextLine()
        guard Array(version) + [0x0A] == intro else {
            if version.starts(with: Array("age-encryption.org/".utf8)) {
                throw AgeError(.header, "unsupported age format version (only age-encryption.org/v1)")
            }
            throw AgeError(.header, "not an age file (no age-encryption.org/v1 line)")
        }
        var header = AgeHeader(stanzas: [])
        while true {
            let line = try nextLine()
            if line.starts(with: Array("---".utf8)) {
                let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
                guard parts.count == 2, Array(parts[0]) == Array("---".utf8),
                      let mac = RawBase64.decode(parts[1]), mac.count == 32
                else { throw AgeError(.header, "malformed age header: bad closing line") }
                header.mac = mac
                return (header, cursor)
            }
            guard line.starts(with: Array("->".utf8)) else {
                throw AgeError(.header, "malformed age header: unexpected line")
            }
            let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard Array(parts[0]) == Array("->".utf8), parts.count >= 2,
                  parts.dropFirst().allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 33 && $0 <= 126 } })
            else { throw AgeError(.header, "malformed age header: bad stanza line") }
            var stanza = AgeStanza(type: String(decoding: parts[1], as: UTF8.self),
                                   arguments: parts.dropFirst(2).map { String(decoding: $0, as: UTF8.self) }, body: [])
            while true {
                let bodyLine = try nextLine()
                guard bodyLine.count <= columns, let decoded = RawBase64.decode(bodyLine) else {
                    throw AgeError(.header, "malformed age header: bad stanza body (every stanza ends with a short line)")
                }
                stanza.body += decoded
                if decoded.count < bytesPerLine { break }
            }
            header.stanzas.append(stanza)
            guard header.stanzas.count <= 1024 else { throw AgeError(.header, "malformed age header: too many stanzas") }
        }
    }
}
