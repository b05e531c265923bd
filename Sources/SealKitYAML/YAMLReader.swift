internal import CYAML

/// Reads YAML streams (and JSON, which libyaml parses as flow YAML) into ``Node`` trees using
/// libyaml's event parser.
///
/// Empty documents (a trailing `---`, a file of comments) are skipped, as kubectl does, but
/// still counted, so "document 3" means the third document in the file. Aliases are expanded
/// under a node budget to stop billion-laughs input.
public enum YAMLReader {
    /// Upper bound on nodes materialised through aliases in one stream.
    static let aliasExpansionBudget = 1_000_000
    /// Upper bound on nesting, so hostile input cannot exhaust the stack of later recursive walks.
    static let maximumDepth = 512

    /// A mapping's first keys are checked for duplicates as they are read, by comparing each
    /// with those before it; the keys after these are checked once the mapping is complete,
    /// in one pass (``DuplicateKeys``). Hashing into a set as keys arrived made it grow and rehash
    /// again and again, so a large mapping cost more per entry than a small one.
    static let linearKeyCheckLimit = 16

    /// The position (0-based) of the first key past ``linearKeyCheckLimit`` that repeats an
    /// earlier one, or nil.
    static func firstLateDuplicateKey<Keys: RandomAccessCollection<String>>(_ keys: Keys) -> Int? where Keys.Index == Int {
        guard keys.count > linearKeyCheckLimit else { return nil }
        return DuplicateKeys.firstRepeat(in: keys)
    }

    public struct Document: Sendable, Equatable {
        /// 1-based position in the stream.
        public var index: Int
        public var root: Node
    }

    /// Parses every non-empty document of a YAML stream.
    public static func documents(_ bytes: [UInt8]) throws(YAMLError) -> [Document] {
        var parser = Parser(documentOffset: 0)
        return try parser.parse(bytes)
    }

    /// Reads one JSON value, such as an API response or a watch event: with the strict JSON
    /// reader, else (invalid JSON, a duplicate key) with libyaml, whose error it throws. Nil for
    /// an empty input or a top-level `null`.
    public static func jsonValue(_ bytes: [UInt8]) throws(YAMLError) -> Node? {
        if let root = JSONReader.parse(bytes) { return root }
        return try documents(bytes).first?.root
    }

    /// Parses a stream that may be YAML, one JSON value, or several concatenated JSON values
    /// (what `kubectl get -o json` piped through tools often produces).
    public static func manifests(_ bytes: [UInt8]) throws(YAMLError) -> [Document] {
        guard JSONStream.looksLikeJSON(bytes) else { return try documents(bytes) }
        if let values = JSONReader.parseStream(bytes) {
            return values.enumerated().map { Document(index: $0.offset + 1, root: $0.element) }
        }
        // Not plain JSON values throughout: split, and let libyaml word the first problem.
        var result: [Document] = []
        for (position, chunk) in try JSONStream.split(bytes).enumerated() {
            if let root = JSONReader.parse(chunk) {
                result.append(Document(index: position + 1, root: root))
                continue
            }
            var parser = Parser(documentOffset: position)
            let documents = try parser.parse(chunk)
            guard documents.count == 1 else {
                throw YAMLError("expected one JSON value", document: position + 1)
            }
            result.append(Document(index: position + 1, root: documents[0].root))
        }
        return result
    }
}

/// One parse over libyaml events. Keeps the C parser in heap memory (it points into itself).
private struct Parser {
    /// An open collection. A class, so adding to it mutates in place: an enum payload popped
    /// off the stack and pushed back shares its array with the popped copy, and every append
    /// copied the whole collection (quadratic in the number of entries).
    private final class Frame {
        let isMapping: Bool
        let anchor: String?
        var items: [Node] = []
        var entries: [Mapping.Entry] = []
        var pendingKey: String?
        /// Where each key past ``YAMLReader/linearKeyCheckLimit`` was, for the duplicate check
        /// made when the mapping ends.
        var laterKeyPositions: [(line: Int, column: Int)] = []

        init(isMapping: Bool, anchor: String?) {
            self.isMapping = isMapping
            self.anchor = anchor
        }
    }

    let documentOffset: Int
    private var stack: [Frame] = []
    private var anchors: [String: (node: Node, weight: Int)] = [:]
    private var weights: [Int] = []
    private var expanded = 0
    private var documentIndex = 0

    init(documentOffset: Int) {
        self.documentOffset = documentOffset
    }

    mutating func parse(_ bytes: [UInt8]) throws(YAMLError) -> [YAMLReader.Document] {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError("cannot initialise the YAML parser") }
        defer { yaml_parser_delete(parser) }

        let result: Result<[YAMLReader.Document], YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            // libyaml reads from this pointer during the whole parse: it must stay inside this closure.
            yaml_parser_set_input_string(parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            do throws(YAMLError) { return .success(try run(parser)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private mutating func run(_ parser: UnsafeMutablePointer<yaml_parser_t>) throws(YAMLError) -> [YAMLReader.Document] {
        var documents: [YAMLReader.Document] = []
        var root: Node?
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError(parser) }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                documentIndex += 1
                root = nil
                anchors.removeAll()
            case YAML_DOCUMENT_END_EVENT:
                if let root, !root.isNull {
                    documents.append(.init(index: documentOffset + documentIndex, root: root))
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = string(scalar.value, Int(scalar.length))
                let tag = scalar.tag.map { string($0, strlen($0)) }
                let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE || tag == "tag:yaml.org,2002:str"
                let node = Node.scalar(Scalar(text, style: quoted ? .quoted : .plain))
                try add(node, weight: 1, anchor: anchorName(scalar.anchor), line: line, column: column, root: &root)
            case YAML_ALIAS_EVENT:
                let name = anchorName(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw error("unknown alias *\(name)", line: line, column: column)
                }
                expanded += target.weight
                guard expanded <= YAMLReader.aliasExpansionBudget else {
                    throw error("too many alias expansions (limit \(YAMLReader.aliasExpansionBudget) nodes)", line: line, column: column)
                }
                try add(target.node, weight: target.weight, anchor: nil, line: line, column: column, root: &root)
            case YAML_SEQUENCE_START_EVENT:
                try push(Frame(isMapping: false, anchor: anchorName(event.data.sequence_start.anchor)), line: line, column: column)
            case YAML_MAPPING_START_EVENT:
                try push(Frame(isMapping: true, anchor: anchorName(event.data.mapping_start.anchor)), line: line, column: column)
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let weight = weights.removeLast()
                let frame = stack.removeLast()
                if frame.isMapping, let position = YAMLReader.firstLateDuplicateKey(frame.entries.lazy.map(\.key)) {
                    let at = frame.laterKeyPositions[position - YAMLReader.linearKeyCheckLimit]
                    throw duplicateKeyError(frame.entries[position].key, line: at.line, column: at.column)
                }
                let node: Node = frame.isMapping ? .mapping(Mapping(frame.entries)) : .sequence(frame.items)
                try add(node, weight: weight, anchor: frame.anchor, line: line, column: column, root: &root)
            default:
                break
            }
        }
    }

    private mutating func push(_ frame: Frame, line: Int, column: Int) throws(YAMLError) {
        guard stack.count < YAMLReader.maximumDepth else {
            throw error("nesting deeper than \(YAMLReader.maximumDepth) levels", line: line, column: column)
        }
        stack.append(frame)
        weights.append(1)
    }

    /// Adds a finished node to the open collection (or makes it the document root).
    private mutating func add(_ node: Node, weight: Int, anchor: String?, line: Int, column: Int, root: inout Node?) throws(YAMLError) {
        if let anchor { anchors[anchor] = (node, weight) }
        guard let top = stack.last else {
            root = node
            return
        }
        weights[weights.count - 1] += weight
        if !top.isMapping {
            top.items.append(node)
        } else if let key = top.pendingKey {
            top.entries.append(Mapping.Entry(key: key, value: node))
            top.pendingKey = nil
        } else {
            guard case .scalar(let scalar) = node else {
                throw error("mapping keys must be scalars", line: line, column: column)
            }
            if top.entries.count < YAMLReader.linearKeyCheckLimit {
                for entry in top.entries where entry.key == scalar.text {
                    throw duplicateKeyError(scalar.text, line: line, column: column)
                }
            } else {
                top.laterKeyPositions.append((line, column))
            }
            top.pendingKey = scalar.text
        }
    }

    private func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { string($0, strlen($0)) }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func strlen(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> Int {
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return length
    }

    private func duplicateKeyError(_ key: String, line: Int, column: Int) -> YAMLError {
        error("duplicate mapping key \"\(printable(key))\"", line: line, column: column)
    }

    /// Keys are names, not values, but cap them so a garbage key cannot flood the terminal.
    private func printable(_ key: String) -> String {
        key.count > 64 ? String(key.prefix(64)) + "…" : key
    }

    private func error(_ message: String, line: Int, column: Int) -> YAMLError {
        YAMLError(message, document: documentOffset + max(documentIndex, 1), line: line, column: column)
    }

    private func syntaxError(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> YAMLError {
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "malformed input"
        let context = parser.pointee.context.map { String(cString: $0) }
        let mark = parser.pointee.problem_mark
        let message = context.map { "\(problem) (\($0))" } ?? problem
        return YAMLError(message, document: documentOffset + max(documentIndex, 1),
                         line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}
