internal import CYAML

/// A YAML node that keeps its comments and how each scalar was written: what a tool that
/// rewrites a file for people (SOPS encrypts and restores comments) needs and ``Node`` drops.
///
/// Comments are placed as items of the collection they belong to, in order: a comment line is
/// an item of the innermost open collection whose items start at or left of its column
/// (so a comment indented like a mapping's keys belongs to that mapping), and a trailing
/// comment (`key: value # note`) belongs to the collection of the line's content.
public indirect enum CommentedNode: Sendable, Equatable {
    case scalar(CommentedScalar)
    case mapping([MappingItem])
    case sequence([SequenceItem])

    public enum MappingItem: Sendable, Equatable {
        /// The comment text after `#`, and whether it followed content on the same line.
        case comment(String, inline: Bool)
        case entry(key: CommentedScalar, value: CommentedNode)
    }

    public enum SequenceItem: Sendable, Equatable {
        case comment(String, inline: Bool)
        case node(CommentedNode)
    }
}

/// A scalar's text, style and explicit tag (`!!str`), as written.
public struct CommentedScalar: Sendable, Equatable {
    public var text: String
    public var style: ScalarLocator.Style
    public var tag: String?

    public init(_ text: String, style: ScalarLocator.Style = .plain, tag: String? = nil) {
        self.text = text
        self.style = style
        self.tag = tag
    }
}

/// Reads YAML streams into ``CommentedNode`` trees: libyaml's events give the structure, and
/// the comments (which libyaml's parser skips) are found in the bytes between the scalars.
/// Aliases are expanded under the same budget as ``YAMLReader``.
public enum CommentedYAMLReader {
    public struct Document: Sendable, Equatable {
        /// 1-based position in the stream.
        public var index: Int
        /// nil for an empty document (`---` alone, or only comments: see `comments`).
        public var root: CommentedNode?
        /// Comments of a document without a collection to hold them.
        public var comments: [String]
    }

    public static func documents(_ bytes: [UInt8]) throws(YAMLError) -> [Document] {
        let events = try EventRecorder.record(bytes)
        let comments = CommentScanner.scan(bytes, scalarSpans: events.compactMap { $0.kind == .scalar ? $0.start..<$0.end : nil })
        var builder = CommentedTreeBuilder(comments: comments)
        return try builder.build(events)
    }
}

/// One libyaml event, copied out of the parser with byte offsets.
struct RecordedEvent {
    enum Kind { case documentStart, documentEnd, mappingStart, mappingEnd, sequenceStart, sequenceEnd, scalar, alias }
    var kind: Kind
    var start: Int
    var end: Int
    var line: Int
    var column: Int
    var text = ""
    var style = ScalarLocator.Style.plain
    var tag: String?
    var anchor: String?
}

enum EventRecorder {
    static func record(_ bytes: [UInt8]) throws(YAMLError) -> [RecordedEvent] {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError("cannot initialise the YAML parser") }
        defer { yaml_parser_delete(parser) }
        let offsets = CharacterOffsets(bytes)
        let result: Result<[RecordedEvent], YAMLError> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            var events: [RecordedEvent] = []
            var document = 0
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    let mark = parser.pointee.problem_mark
                    let problem = parser.pointee.problem.map { String(cString: $0) } ?? "malformed input"
                    let context = parser.pointee.context.map { String(cString: $0) }
                    return .failure(YAMLError(context.map { "\(problem) (\($0))" } ?? problem, document: max(document, 1),
                                              line: Int(mark.line) + 1, column: Int(mark.column) + 1))
                }
                defer { yaml_event_delete(&event) }
                var record = RecordedEvent(kind: .scalar, start: offsets.byteOffset(Int(event.start_mark.index)),
                                           end: offsets.byteOffset(Int(event.end_mark.index)),
                                           line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column))
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return .success(events)
                case YAML_DOCUMENT_START_EVENT:
                    document += 1
                    record.kind = .documentStart
                case YAML_DOCUMENT_END_EVENT:
                    record.kind = .documentEnd
                case YAML_MAPPING_START_EVENT:
                    record.kind = .mappingStart
                    record.anchor = string(event.data.mapping_start.anchor)
                case YAML_MAPPING_END_EVENT:
                    record.kind = .mappingEnd
                case YAML_SEQUENCE_START_EVENT:
                    record.kind = .sequenceStart
                    record.anchor = string(event.data.sequence_start.anchor)
                case YAML_SEQUENCE_END_EVENT:
                    record.kind = .sequenceEnd
                case YAML_ALIAS_EVENT:
                    record.kind = .alias
                    record.anchor = string(event.data.alias.anchor)
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    record.text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(scalar.length)), as: UTF8.self) } ?? ""
                    record.tag = string(scalar.tag)
                    record.anchor = string(scalar.anchor)
                    switch scalar.style {
                    case YAML_SINGLE_QUOTED_SCALAR_STYLE: record.style = .singleQuoted
                    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: record.style = .doubleQuoted
                    case YAML_LITERAL_SCALAR_STYLE: record.style = .literal
                    case YAML_FOLDED_SCALAR_STYLE: record.style = .folded
                    default: record.style = .plain
                    }
                default:
                    continue
                }
                events.append(record)
            }
        }
        return try result.get()
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}

/// A `#` comment found in the bytes.
struct ScannedComment {
    var offset: Int
    /// Column of the `#`, in characters (libyaml's marks count characters too).
    var column: Int
    var text: String
    /// Only whitespace precedes it on its line.
    var ownLine: Bool
}

enum CommentScanner {
    /// Every comment outside the scalar spans: a `#` at a line start or after a space or tab.
    static func scan(_ bytes: [UInt8], scalarSpans: [Range<Int>]) -> [ScannedComment] {
        let spans = scalarSpans.sorted { $0.lowerBound < $1.lowerBound }
        var spanIndex = 0
        var comments: [ScannedComment] = []
        var lineStart = 0
        var index = 0
        var onlySpaceSoFar = true
        var column = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                lineStart = index + 1
                onlySpaceSoFar = true
                column = 0
                index += 1
                continue
            }
            while spanIndex < spans.count, spans[spanIndex].upperBound <= index { spanIndex += 1 }
            if spanIndex < spans.count, spans[spanIndex].contains(index) {
                // Skip the scalar (it may span lines); line bookkeeping restarts after it.
                let end = spans[spanIndex].upperBound
                while index < end {
                    if bytes[index] == 0x0A { lineStart = index + 1; column = 0 } else if bytes[index] & 0xC0 != 0x80 { column += 1 }
                    index += 1
                }
                onlySpaceSoFar = lineStart == index
                continue
            }
            if byte == UInt8(ascii: "#"), index == lineStart || bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09 {
                var end = index
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var textEnd = end
                if textEnd > index + 1, bytes[textEnd - 1] == 0x0D { textEnd -= 1 }
                comments.append(ScannedComment(offset: index, column: column,
                                               text: String(decoding: bytes[(index + 1)..<max(index + 1, textEnd)], as: UTF8.self),
                                               ownLine: onlySpaceSoFar))
                index = end
                continue
            }
            if byte != 0x20 && byte != 0x09 && byte != 0x0D { onlySpaceSoFar = false }
            if byte & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return comments
    }
}

/// Builds the trees from recorded events, placing comments as the type's documentation says.
struct CommentedTreeBuilder {
    private final class Frame {
        let isMapping: Bool
        let column: Int
        let anchor: String?
        var mappingItems: [CommentedNode.MappingItem] = []
        var sequenceItems: [CommentedNode.SequenceItem] = []
        var pendingKey: CommentedScalar?
        /// Comments that belong here but come after the item still being built.
        var afterCurrentItem: [(String, Bool)] = []
        var keys: Set<String> = []

        init(isMapping: Bool, column: Int, anchor: String?) {
            self.isMapping = isMapping
            self.column = column
            self.anchor = anchor
        }

        /// Nothing read into it yet (no item, no key).
        var isEmpty: Bool { mappingItems.isEmpty && sequenceItems.isEmpty && pendingKey == nil }

        func appendComment(_ text: String, inline: Bool) {
            if isMapping { mappingItems.append(.comment(text, inline: inline)) } else { sequenceItems.append(.comment(text, inline: inline)) }
        }
    }

    private var comments: [ScannedComment]
    private var nextComment = 0
    private var stack: [Frame] = []
    private var anchors: [String: CommentedNode] = [:]
    private var expanded = 0

    init(comments: [ScannedComment]) {
        self.comments = comments
    }

    mutating func build(_ events: [RecordedEvent]) throws(YAMLError) -> [CommentedYAMLReader.Document] {
        var documents: [CommentedYAMLReader.Document] = []
        var root: CommentedNode?
        var index = 0
        var looseComments: [String] = []
        for event in events {
            switch event.kind {
            case .documentStart:
                index += 1
                root = nil
                anchors.removeAll()
                looseComments = []
            case .documentEnd:
                // Comments after the root collection closed belong to it (its tail).
                let next = events.first { $0.kind == .documentStart && $0.start >= event.end }?.start ?? Int.max
                var tail: [(String, Bool)] = []
                while nextComment < comments.count, comments[nextComment].offset < next {
                    tail.append((comments[nextComment].text, !comments[nextComment].ownLine))
                    nextComment += 1
                }
                switch root {
                case .mapping(var items)?:
                    items += tail.map { .comment($0.0, inline: $0.1) }
                    root = .mapping(items)
                case .sequence(var items)?:
                    items += tail.map { .comment($0.0, inline: $0.1) }
                    root = .sequence(items)
                default:
                    looseComments += tail.map(\.0)
                }
                documents.append(.init(index: index, root: root, comments: looseComments))
            case .mappingStart, .sequenceStart:
                guard stack.count < YAMLReader.maximumDepth else {
                    throw YAMLError("nesting deeper than \(YAMLReader.maximumDepth) levels", document: index, line: event.line)
                }
                // Pushed first, so comments just before the first item, indented like it, are
                // its head comments; less indented ones go to the parent, before this entry.
                stack.append(Frame(isMapping: event.kind == .mappingStart, column: event.column, anchor: event.anchor))
                flushComments(before: event.start, force: true)
            case .mappingEnd, .sequenceEnd:
                flushComments(before: event.start)
                let frame = stack.removeLast()
                for (text, inline) in frame.afterCurrentItem { frame.appendComment(text, inline: inline) }
                let node: CommentedNode = frame.isMapping ? .mapping(frame.mappingItems) : .sequence(frame.sequenceItems)
                if let anchor = frame.anchor { anchors[anchor] = node }
                try add(node, event: event, document: index, root: &root)
            case .scalar:
                flushComments(before: event.start)
                let scalar = CommentedScalar(event.text, style: event.style, tag: event.tag)
                if let top = stack.last, top.isMapping, top.pendingKey == nil {
                    guard top.keys.insert(scalar.text).inserted else {
                        throw YAMLError("duplicate mapping key \"\(scalar.text.prefix(64))\"", document: index, line: event.line, column: event.column + 1)
                    }
                    top.pendingKey = scalar
                    continue
                }
                if let anchor = event.anchor { anchors[anchor] = .scalar(scalar) }
                try add(.scalar(scalar), event: event, document: index, root: &root)
            case .alias:
                flushComments(before: event.start)
                guard let target = anchors[event.anchor ?? ""] else {
                    throw YAMLError("unknown alias *\(event.anchor ?? "")", document: index, line: event.line, column: event.column + 1)
                }
                expanded += Self.weight(target)
                guard expanded <= YAMLReader.aliasExpansionBudget else {
                    throw YAMLError("too many alias expansions (limit \(YAMLReader.aliasExpansionBudget) nodes)", document: index, line: event.line)
                }
                if let top = stack.last, top.isMapping, top.pendingKey == nil {
                    guard case .scalar(let key) = target else {
                        throw YAMLError("mapping keys must be scalars", document: index, line: event.line, column: event.column + 1)
                    }
                    top.pendingKey = key
                    continue
                }
                try add(target, event: event, document: index, root: &root)
            }
        }
        return documents
    }

    private static func weight(_ node: CommentedNode) -> Int {
        switch node {
        case .scalar: 1
        case .mapping(let items): items.reduce(1) { if case .entry(_, let value) = $1 { $0 + 1 + weight(value) } else { $0 } }
        case .sequence(let items): items.reduce(1) { if case .node(let value) = $1 { $0 + weight(value) } else { $0 } }
        }
    }

    private mutating func add(_ node: CommentedNode, event: RecordedEvent, document: Int, root: inout CommentedNode?) throws(YAMLError) {
        guard let top = stack.last else {
            root = node
            return
        }
        if top.isMapping {
            guard let key = top.pendingKey else {
                throw YAMLError("mapping keys must be scalars", document: document, line: event.line, column: event.column + 1)
            }
            top.mappingItems.append(.entry(key: key, value: node))
            top.pendingKey = nil
        } else {
            top.sequenceItems.append(.node(node))
        }
        for (text, inline) in top.afterCurrentItem { top.appendComment(text, inline: inline) }
        top.afterCurrentItem = []
    }

    /// Places the comments that come before byte `offset`.
    private mutating func flushComments(before offset: Int, force: Bool = false) {
        guard !stack.isEmpty else { return }
        while nextComment < comments.count, comments[nextComment].offset < offset || (force && comments[nextComment].offset <= offset) {
            let comment = comments[nextComment]
            nextComment += 1
            var target = stack.count - 1
            if comment.ownLine {
                while target > 0, stack[target].column > comment.column { target -= 1 }
            } else {
                // A trailing comment belongs with its line's content, not a collection that
                // only starts on the next line.
                while target > 0, stack[target].isEmpty { target -= 1 }
            }
            let frame = stack[target]
            if stack[(target + 1)...].allSatisfy(\.isEmpty) {
                frame.appendComment(comment.text, inline: !comment.ownLine)
            } else {
                frame.afterCurrentItem.append((comment.text, !comment.ownLine))
            }
        }
    }
}
