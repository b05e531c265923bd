/// A strict RFC 8259 reader, for where JSON is all there is: every Kubernetes API response and
/// watch event, and JSON manifests. libyaml reads JSON as flow YAML, several times slower and
/// with a per-entry cost that grows with the document; this reader does one pass over the
/// bytes. For valid JSON it builds exactly the tree libyaml builds (`JSONReaderTests` holds the
/// two equal), so nothing downstream can tell which one ran. Whatever it does not accept
/// (invalid JSON, a duplicate key, nesting past the limit, a top-level `null`) it hands back as
/// `nil`, and the caller asks libyaml, which words the error and its position as users know it.
enum JSONReader {
    /// The single JSON value in `bytes`, or nil when they are not one (see the type's note).
    static func parse(_ bytes: [UInt8]) -> Node? {
        bytes.withUnsafeBufferPointer { buffer -> Node? in
            var reader = Cursor(buffer)
            reader.skipWhitespace()
            guard let value = reader.value(depth: 0) else { return nil }
            reader.skipWhitespace()
            guard reader.index == buffer.count, !value.isNull else { return nil }
            return value
        }
    }

    /// The JSON values of a stream of them (`{…}{…}`, or one per line), each an object or an
    /// array, or nil when the bytes are anything else (see the type's note).
    static func parseStream(_ bytes: [UInt8]) -> [Node]? {
        bytes.withUnsafeBufferPointer { buffer -> [Node]? in
            var reader = Cursor(buffer)
            var values: [Node] = []
            reader.skipWhitespace()
            while let byte = reader.current {
                guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "["), let value = reader.value(depth: 0) else { return nil }
                values.append(value)
                reader.skipWhitespace()
            }
            return values
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Scratch space for strings with escapes, reused across strings.
        var scratch: [UInt8] = []

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> Node? {
            guard let byte = current else { return nil }
            switch byte {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string().map { .scalar(Scalar($0, style: .quoted)) }
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        /// `{…}`; nil on a duplicate key, as libyaml's reader refuses those.
        mutating func object(depth: Int) -> Node? {
            guard depth <= YAMLReader.maximumDepth else { return nil }
            index += 1
            var entries: [Mapping.Entry] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                index += 1
                return .mapping(Mapping(entries))
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\""), let key = string() else { return nil }
                if entries.count < YAMLReader.linearKeyCheckLimit {
                    for entry in entries where entry.key == key { return nil }
                }
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                guard let value = value(depth: depth) else { return nil }
                entries.append(Mapping.Entry(key: key, value: value))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return hasDuplicateKeys(entries) ? nil : .mapping(Mapping(entries))
                default: return nil
                }
            }
        }

        /// Whether a key repeats beyond the first ``YAMLReader/linearKeyCheckLimit`` entries
        /// (those were compared as they were read).
        private func hasDuplicateKeys(_ entries: [Mapping.Entry]) -> Bool {
            YAMLReader.firstLateDuplicateKey(entries.lazy.map(\.key)) != nil
        }

        mutating func array(depth: Int) -> Node? {
            guard depth <= YAMLReader.maximumDepth else { return nil }
            index += 1
            var items: [Node] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                index += 1
                return .sequence(items)
            }
            while true {
                skipWhitespace()
                guard let item = value(depth: depth) else { return nil }
                items.append(item)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .sequence(items)
                default: return nil
                }
            }
        }

        mutating func literal(_ word: StaticString) -> Node? {
            let count = word.utf8CodeUnitCount
            guard bytes.count - index >= count else { return nil }
            for offset in 0 ..< count where bytes[index + offset] != word.utf8Start[offset] { return nil }
            index += count
            return .scalar(Scalar(String(decoding: UnsafeBufferPointer(start: word.utf8Start, count: count), as: UTF8.self), style: .plain))
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as its text (a plain scalar).
        mutating func number() -> Node? {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, isDigit(first) else { return nil }
            index += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let digit = current, isDigit(digit) else { return nil }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let digit = current, isDigit(digit) else { return nil }
                skipDigits()
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< index]), as: UTF8.self)
            return .scalar(Scalar(text, style: .plain))
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        private mutating func skipDigits() {
            while let byte = current, isDigit(byte) { index += 1 }
        }

        /// A string's content, or nil for a raw control character, a bad escape, a lone
        /// surrogate or invalid UTF-8. Strings without escapes are made straight from the input.
        mutating func string() -> String? {
            index += 1
            let start = index
            var ascii = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = Self.makeString(UnsafeBufferPointer(rebasing: bytes[start ..< index]), ascii: ascii)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
                guard byte >= 0x20 else { return nil }
                ascii = ascii && byte < 0x80
                index += 1
            }
            return nil
        }

        /// ASCII needs no validation (and `String(validating:)` costs generic-metadata lookups on
        /// every call); anything else must be valid UTF-8, as libyaml requires.
        private static func makeString(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) -> String? {
            ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
        }

        private mutating func escapedString(from start: Int) -> String? {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start ..< index]))
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return scratch.withUnsafeBufferPointer { Self.makeString($0, ascii: !$0.contains { $0 >= 0x80 }) }
                case UInt8(ascii: "\\"):
                    guard let escape = current else { return nil }
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                    case UInt8(ascii: "b"): scratch.append(0x08)
                    case UInt8(ascii: "f"): scratch.append(0x0C)
                    case UInt8(ascii: "n"): scratch.append(0x0A)
                    case UInt8(ascii: "r"): scratch.append(0x0D)
                    case UInt8(ascii: "t"): scratch.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var scalar = hex4() else { return nil }
                        if (0xD800 ..< 0xDC00).contains(scalar) {
                            guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else { return nil }
                            index += 2
                            guard let low = hex4(), (0xDC00 ..< 0xE000).contains(low) else { return nil }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { return nil }
                        scratch.append(contentsOf: unicode.utf8)
                    default: return nil
                    }
                default:
                    guard byte >= 0x20 else { return nil }
                    scratch.append(byte)
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard bytes.count - index >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0 ..< 4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }
    }
}
