internal import CYAML

/// Finds where scalars sit in the source bytes, from libyaml's event marks, so a file can be
/// edited in place: replacing exactly those byte ranges leaves every other byte — comments,
/// key order, quoting, indentation, other documents — as it was.
public enum ScalarLocator {
    /// One located scalar.
    public struct Location: Sendable, Equatable {
        /// 1-based document index in the stream.
        public var document: Int
        /// Mapping keys from the document root to the scalar (`["spec", "encryptedData", "password"]`).
        public var path: [String]
        /// Byte range of the scalar in the input, including its quotes or block indicator.
        public var range: Range<Int>
        public var style: Style
        public var value: String
    }

    public enum Style: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// Every scalar whose mapping-key path starts with `prefix` and is one key longer (the
    /// entries of one mapping, e.g. `["spec", "encryptedData"]`), in every document.
    public static func entries(under prefix: [String], in bytes: [UInt8]) throws(YAMLError) -> [Location] {
        if JSONStream.looksLikeJSON(bytes) {
            var result: [Location] = []
            for (position, chunk) in try JSONStream.splitRanges(bytes).enumerated() {
                for var location in try scan(Array(bytes[chunk]), prefix: prefix, documentOffset: position) {
                    location.range = (location.range.lowerBound + chunk.lowerBound) ..< (location.range.upperBound + chunk.lowerBound)
                    location.document = position + 1
                    result.append(location)
                }
            }
            return result
        }
        return try scan(bytes, prefix: prefix, documentOffset: 0)
    }

    private enum Frame {
        case mapping(path: [String], pendingKey: String?, expectingKey: Bool)
        case sequence(path: [String])
    }

    private static func scan(_ bytes: [UInt8], prefix: [String], documentOffset: Int) throws(YAMLError) -> [Location] {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError("cannot initialise the YAML parser") }
        defer { yaml_parser_delete(parser) }
        // libyaml's marks count characters (code points), not bytes.
        let offsets = CharacterOffsets(bytes)
        let result: Result<[Location], YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var locations: [Location] = []
            var stack: [Frame] = []
            var document = documentOffset
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    let mark = parser.pointee.problem_mark
                    let problem = parser.pointee.problem.map { String(cString: $0) } ?? "malformed input"
                    return .failure(YAMLError(problem, document: max(document, 1), line: Int(mark.line) + 1, column: Int(mark.column) + 1))
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return .success(locations)
                case YAML_DOCUMENT_START_EVENT:
                    document += 1
                    stack.removeAll()
                case YAML_MAPPING_START_EVENT:
                    stack.append(.mapping(path: childPath(&stack), pendingKey: nil, expectingKey: true))
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(.sequence(path: childPath(&stack)))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    stack.removeLast()
                    finishValue(&stack)
                case YAML_ALIAS_EVENT:
                    _ = childPath(&stack)
                    finishValue(&stack)
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self) } ?? ""
                    if case .mapping(let path, _, true)? = stack.last {
                        stack[stack.count - 1] = .mapping(path: path, pendingKey: text, expectingKey: false)
                        continue
                    }
                    let path = childPath(&stack)
                    if path.count == prefix.count + 1, Array(path.prefix(prefix.count)) == prefix {
                        locations.append(Location(
                            document: document, path: path,
                            range: offsets.byteOffset(Int(event.start_mark.index)) ..< offsets.byteOffset(Int(event.end_mark.index)),
                            style: style(scalar.style), value: text))
                    }
                    finishValue(&stack)
                default:
                    break
                }
            }
        }
        return try result.get()
    }

    /// The path of the value about to start in the innermost collection.
    private static func childPath(_ stack: inout [Frame]) -> [String] {
        switch stack.last {
        case .mapping(let path, let key, _)?: return path + [key ?? ""]
        case .sequence(let path)?: return path + ["[]"]
        case nil: return []
        }
    }

    /// After a mapping value, the next scalar is a key again.
    private static func finishValue(_ stack: inout [Frame]) {
        if case .mapping(let path, _, false)? = stack.last {
            stack[stack.count - 1] = .mapping(path: path, pendingKey: nil, expectingKey: true)
        }
    }

    private static func style(_ style: yaml_scalar_style_t) -> Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}

/// Maps libyaml's character indexes to byte offsets in UTF-8 input.
struct CharacterOffsets {
    /// Byte offset of each character start; nil when the input is ASCII (indexes are offsets).
    private let starts: [Int]?
    private let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        guard bytes.contains(where: { $0 >= 0x80 }) else {
            starts = nil
            return
        }
        var starts: [Int] = []
        starts.reserveCapacity(bytes.count)
        for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 {
            starts.append(offset)
        }
        self.starts = starts
    }

    func byteOffset(_ characterIndex: Int) -> Int {
        guard let starts else { return characterIndex }
        return characterIndex < starts.count ? starts[characterIndex] : count
    }
}

/// Replaces byte ranges of a buffer, all at once, leaving the rest untouched.
public enum ByteSpliceEditor {
    public struct Edit: Sendable {
        public var range: Range<Int>
        public var replacement: [UInt8]

        public init(range: Range<Int>, replacement: [UInt8]) {
            self.range = range
            self.replacement = replacement
        }
    }

    /// - Precondition: the edits do not overlap (scalars never do).
    public static func apply(_ edits: [Edit], to bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var cursor = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            output.append(contentsOf: bytes[cursor ..< edit.range.lowerBound])
            output.append(contentsOf: edit.replacement)
            cursor = edit.range.upperBound
        }
        output.append(contentsOf: bytes[cursor...])
        return output
    }

    /// The text that replaces a scalar written in `style` with `value`, keeping the style where
    /// it can. Values here are base64 ciphertexts, safe plain or in either kind of quotes; a
    /// block scalar becomes a double-quoted one-line scalar (its trailing line break kept).
    public static func scalarReplacement(_ value: String, style: ScalarLocator.Style, original: ArraySlice<UInt8>) -> [UInt8] {
        switch style {
        case .plain: return Array(value.utf8)
        case .singleQuoted: return Array("'\(value)'".utf8)
        case .doubleQuoted: return Array("\"\(value)\"".utf8)
        case .literal, .folded:
            let trailing = original.reversed().prefix { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            return Array("\"\(value)\"".utf8) + trailing.reversed()
        }
    }
}
