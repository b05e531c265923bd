internal import CYAML

/// Where each node of a YAML or JSON stream starts, by document and path, so tools that judge
/// manifests (`sealkit lint`, `sealkit guard`) can point at `file:line` instead of "document 3".
/// ``YAMLReader`` gives the tree without positions (most callers never need them); this is a
/// second, cheap pass over the same libyaml events, numbering documents exactly as
/// ``YAMLReader/manifests(_:)`` does.
public struct SourceMap: Sendable {
    /// One step from a node to a child: a mapping key or a sequence index (0-based).
    public enum PathComponent: Hashable, Sendable, CustomStringConvertible {
        case key(String)
        case index(Int)

        /// `key` or `[index]`, for field names in messages.
        public var description: String {
            switch self {
            case .key(let key): key
            case .index(let index): "[\(index)]"
            }
        }
    }

    /// A 1-based line and column, as editors and SARIF count them.
    public struct Position: Sendable, Equatable {
        /// 1-based line.
        public var line: Int
        /// 1-based column, in characters.
        public var column: Int

        /// A position.
        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }
    }

    /// Per document index: where each path starts. A mapping entry is placed at its key (the
    /// line a reader looks for), a sequence item and a document root at their first character.
    private var positions: [Int: [[PathComponent]: Position]] = [:]

    /// Maps every node of `bytes`.
    /// - Throws: `YAMLError` when the input is not YAML or JSON (the same inputs ``YAMLReader`` refuses).
    public init(_ bytes: [UInt8]) throws(YAMLError) {
        guard JSONStream.looksLikeJSON(bytes) else {
            try Self.scan(bytes, documentOffset: 0, lineOffset: 0, firstLineColumnOffset: 0, into: &positions)
            return
        }
        for (position, chunk) in try JSONStream.splitRanges(bytes).enumerated() {
            // libyaml counts from the chunk's start: shift by the lines (and, on the chunk's first
            // line, the columns) before it.
            var lines = 0
            var lineStart = 0
            for index in 0 ..< chunk.lowerBound where bytes[index] == UInt8(ascii: "\n") {
                lines += 1
                lineStart = index + 1
            }
            var single: [Int: [[PathComponent]: Position]] = [:]
            try Self.scan(Array(bytes[chunk]), documentOffset: position, lineOffset: lines,
                          firstLineColumnOffset: chunk.lowerBound - lineStart, into: &single)
            // A JSON value is one document, numbered by its place in the stream.
            if let only = single.values.first { positions[position + 1] = only }
        }
    }

    /// Where `path` starts in document `document` (1-based), if that node exists.
    public func position(document: Int, path: [PathComponent]) -> Position? {
        positions[document]?[path]
    }

    /// Where `path` starts or, when it does not exist, its longest existing ancestor: a finding
    /// about a missing field points at the object that should have it.
    public func nearest(document: Int, path: [PathComponent]) -> Position? {
        guard let map = positions[document] else { return nil }
        var candidate = path
        while true {
            if let found = map[candidate] { return found }
            if candidate.isEmpty { return nil }
            candidate.removeLast()
        }
    }

    private enum Frame {
        case mapping(path: [PathComponent], pendingKey: String?)
        case sequence(path: [PathComponent], count: Int)
    }

    private static func scan(_ bytes: [UInt8], documentOffset: Int, lineOffset: Int, firstLineColumnOffset: Int,
                             into positions: inout [Int: [[PathComponent]: Position]]) throws(YAMLError) {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError("cannot initialise the YAML parser") }
        defer { yaml_parser_delete(parser) }
        let result: Result<[Int: [[PathComponent]: Position]], YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            // libyaml reads from this pointer during the whole parse: it stays inside this closure.
            yaml_parser_set_input_string(parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var found = positions
            var stack: [Frame] = []
            var document = documentOffset
            var event = yaml_event_t()
            func position(_ mark: yaml_mark_t) -> Position {
                let line = Int(mark.line)
                return Position(line: line + lineOffset + 1, column: Int(mark.column) + 1 + (line == 0 ? firstLineColumnOffset : 0))
            }
            /// Records a value starting at `mark` in the innermost collection; returns its path.
            func place(_ mark: yaml_mark_t) -> [PathComponent] {
                switch stack.last {
                case .mapping(let path, let key?)?:
                    // The entry was recorded at its key already.
                    stack[stack.count - 1] = .mapping(path: path, pendingKey: nil)
                    return path + [.key(key)]
                case .sequence(let path, let count)?:
                    stack[stack.count - 1] = .sequence(path: path, count: count + 1)
                    let child = path + [.index(count)]
                    found[document, default: [:]][child] = position(mark)
                    return child
                case .mapping(let path, nil)?:
                    return path  // a complex key: not addressable by a path
                case nil:
                    found[document, default: [:]][[]] = position(mark)
                    return []
                }
            }
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    let mark = parser.pointee.problem_mark
                    let problem = parser.pointee.problem.map { String(cString: $0) } ?? "malformed input"
                    let at = position(mark)
                    return .failure(YAMLError(problem, document: max(document, 1), line: at.line, column: at.column))
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return .success(found)
                case YAML_DOCUMENT_START_EVENT:
                    document += 1
                    stack.removeAll()
                case YAML_MAPPING_START_EVENT:
                    stack.append(.mapping(path: place(event.start_mark), pendingKey: nil))
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(.sequence(path: place(event.start_mark), count: 0))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    stack.removeLast()
                case YAML_ALIAS_EVENT:
                    _ = place(event.start_mark)
                case YAML_SCALAR_EVENT:
                    if case .mapping(let path, nil)? = stack.last {
                        let scalar = event.data.scalar
                        let key = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self) } ?? ""
                        stack[stack.count - 1] = .mapping(path: path, pendingKey: key)
                        found[document, default: [:]][path + [.key(key)]] = position(event.start_mark)
                    } else {
                        _ = place(event.start_mark)
                    }
                default:
                    break
                }
            }
        }
        positions = try result.get()
    }
}
