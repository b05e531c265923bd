/// The document model SOPS encrypts: ordered mappings with string keys, sequences, typed
/// scalars and comments (sops.TreeBranch / TreeItem / Comment in the Go implementation).
/// Comment items are encrypted like values but never enter the MAC.
public indirect enum SOPSValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case null
    /// A timestamp, kept as Go's `time.Time.MarshalText` text (RFC 3339 with nanoseconds):
    /// what SOPS encrypts as `type:time` and go-yaml writes unquoted.
    case time(String)
    /// Bytes that are not UTF-8 (a binary file's content, or a `type:bytes` value): Go
    /// strings carry any bytes, Swift strings do not.
    case binary([UInt8])
    /// A comment as an item of a sequence (mapping comments are ``SOPSItem/comment(_:inline:)``).
    case comment(String, inline: Bool)
    case mapping([SOPSItem])
    case sequence([SOPSValue])
}

/// One item of a mapping: a key and its value, or a comment line.
public enum SOPSItem: Sendable, Equatable {
    case entry(String, SOPSValue)
    case comment(String, inline: Bool)

    public var key: String? {
        if case .entry(let key, _) = self { return key }
        return nil
    }

    public var value: SOPSValue? {
        if case .entry(_, let value) = self { return value }
        return nil
    }
}

extension Array where Element == SOPSItem {
    /// The value of the first entry named `key`.
    subscript(sopsKey key: String) -> SOPSValue? {
        for item in self { if case .entry(key, let value) = item { return value } }
        return nil
    }
}

extension SOPSValue {
    /// A string value from bytes: `.string` when they are UTF-8, `.binary` otherwise.
    static func text(_ bytes: [UInt8]) -> SOPSValue {
        if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
        return .binary(bytes)
    }

    /// `sops.ToBytes`: what the MAC covers for a leaf. Nil for values the walk never visits.
    var macBytes: [UInt8]? {
        switch self {
        case .string(let text), .time(let text): Array(text.utf8)
        case .binary(let bytes): bytes
        case .int(let number): Array(String(number).utf8)
        case .float(let number): Array(GoFormatting.formatF(number).utf8)
        case .bool(let flag): Array((flag ? "True" : "False").utf8)
        case .comment(let text, _): Array(text.utf8)
        case .null, .mapping, .sequence: nil
        }
    }
}
