internal import CYAML

/// Writes ``Node`` trees as block-style YAML the way kubectl prints objects: two-space indent,
/// list items at their key's indentation, no line folding, literal blocks for multi-line
/// strings, and quotes only where a plain scalar would read back as something else.
public enum YAMLWriter {
    /// One document per node, separated by `---` when there are several.
    public static func write(_ documents: [Node]) throws(YAMLError) -> [UInt8] {
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else { throw YAMLError("cannot initialise the YAML emitter") }
        defer { yaml_emitter_delete(emitter) }

        let sink = OutputSink()
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        yaml_emitter_set_output(emitter, { context, buffer, size in
            guard let context, let buffer else { return 0 }
            let sink = Unmanaged<OutputSink>.fromOpaque(context).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, context.toOpaque())
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_width(emitter, -1)

        var session = EmitSession(emitter: emitter)
        var event = yaml_event_t()
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        try session.emit(&event)
        for document in documents {
            yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
            try session.emit(&event)
            try session.emit(document)
            yaml_document_end_event_initialize(&event, 1)
            try session.emit(&event)
        }
        yaml_stream_end_event_initialize(&event)
        try session.emit(&event)
        return sink.bytes
    }

    public static func write(_ document: Node) throws(YAMLError) -> [UInt8] {
        try write([document])
    }
}

/// Collects emitter output; reached from the C callback through an unmanaged reference.
private final class OutputSink {
    var bytes: [UInt8] = []
}

private struct EmitSession {
    let emitter: UnsafeMutablePointer<yaml_emitter_t>

    mutating func emit(_ event: inout yaml_event_t) throws(YAMLError) {
        // yaml_emitter_emit takes ownership of the event, success or not.
        guard yaml_emitter_emit(emitter, &event) == 1 else {
            let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "emitter failure"
            throw YAMLError("cannot write YAML: \(problem)")
        }
    }

    mutating func emit(_ node: Node) throws(YAMLError) {
        var event = yaml_event_t()
        switch node {
        case .mapping(let mapping):
            yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE)
            try emit(&event)
            for entry in mapping {
                try emitScalar(entry.key, style: style(forString: entry.key))
                try emit(entry.value)
            }
            yaml_mapping_end_event_initialize(&event)
            try emit(&event)
        case .sequence(let items):
            yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE)
            try emit(&event)
            for item in items { try emit(item) }
            yaml_sequence_end_event_initialize(&event)
            try emit(&event)
        case .scalar(let scalar):
            switch scalar.kind {
            case .string:
                try emitScalar(scalar.text, style: style(forString: scalar.text))
            case .null, .bool, .int, .float:
                try emitScalar(scalar.text, style: YAML_PLAIN_SCALAR_STYLE)
            }
        }
    }

    private func style(forString text: String) -> yaml_scalar_style_t {
        if text.utf8.contains(UInt8(ascii: "\n")) { return YAML_LITERAL_SCALAR_STYLE }
        if ScalarResolution.needsQuoting(text) { return YAML_DOUBLE_QUOTED_SCALAR_STYLE }
        // libyaml falls back to quoting by itself when plain is not allowed (": ", leading "*", ...).
        return YAML_PLAIN_SCALAR_STYLE
    }

    private mutating func emitScalar(_ text: String, style: yaml_scalar_style_t) throws(YAMLError) {
        var event = yaml_event_t()
        // libyaml copies the value; the C string is valid (and non-null, even when empty) for
        // the call, without a copy of a native string.
        let length = Int32(text.utf8.count)
        let ok = text.withCString { cString in
            yaml_scalar_event_initialize(&event, nil, nil, UnsafeMutableRawPointer(mutating: cString).assumingMemoryBound(to: yaml_char_t.self),
                                         length, 1, 1, style)
        }
        guard ok == 1 else { throw YAMLError("cannot write a YAML scalar") }
        try emit(&event)
    }
}
