import Foundation

/// The shape of a protobuf field, for turning Kubernetes protobuf messages into the JSON
/// objects the rest of the server works with.
indirect enum ProtobufType: Sendable {
    case string
    /// `bytes`, rendered as base64 as in JSON (`Secret.data`).
    case bytes
    case int
    case bool
    case message(ProtobufMessage)
    /// `map<string, V>`: repeated entries with the key in field 1 and the value in field 2.
    case map(ProtobufType)
    /// A repeated field, rendered as a JSON array.
    case repeated(ProtobufType)
    /// `metav1.Time`: seconds and nanoseconds, rendered as RFC 3339; Go's zero time is omitted.
    case time
    /// `intstr.IntOrString`: rendered as a JSON number or string.
    case intOrString
}

/// A protobuf message schema: JSON names and types by field number. Fields not listed are
/// skipped, like unknown fields in any protobuf decoder.
struct ProtobufMessage: Sendable {
    let fields: [Int: (name: String, type: ProtobufType)]

    /// Decodes `bytes` into a JSON object.
    ///
    /// Gogo-protobuf, which Kubernetes uses, writes non-pointer fields even when empty; empty
    /// strings, zeros, `false` and empty collections are therefore dropped, which matches the
    /// `omitempty` JSON encoding of those fields.
    func decode(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> JSONValue {
        var reader = ProtobufReader(bytes)
        var members: [String: JSONValue] = [:]
        while !reader.isAtEnd {
            let (number, value) = try reader.next()
            guard let (name, type) = fields[number] else { continue }
            switch type {
            case .repeated(let element):
                let decoded = try Self.decode(value, as: element)
                var list = members[name]?.arrayValue ?? []
                list.append(decoded)
                members[name] = .array(list)
            case .map(let valueType):
                guard case .bytes(let entry) = value else { throw Self.mismatch(name) }
                let pair = try ProtobufMessage(fields: [1: ("key", .string), 2: ("value", valueType)]).decode(entry)
                var map = members[name]?.objectValue ?? [:]
                map[pair["key"]?.stringValue ?? ""] = pair["value"] ?? Self.emptyValue(valueType)
                members[name] = .object(map)
            default:
                members[name] = try Self.decode(value, as: type)
            }
        }
        return .object(members.filter { !Self.isEmpty($0.value) })
    }

    private static func decode(_ value: ProtobufReader.Value, as type: ProtobufType) throws(ProtobufError) -> JSONValue {
        switch (type, value) {
        case (.string, .bytes(let bytes)):
            return .string(String(decoding: bytes, as: UTF8.self))
        case (.bytes, .bytes(let bytes)):
            return .string(Data(bytes).base64EncodedString())
        case (.int, .varint(let number)):
            return .int(Int64(bitPattern: number))
        case (.bool, .varint(let number)):
            return .bool(number != 0)
        case (.message(let message), .bytes(let bytes)):
            return try message.decode(bytes)
        case (.time, .bytes(let bytes)):
            let time = try ProtobufMessage(fields: [1: ("seconds", .int), 2: ("nanos", .int)]).decode(bytes)
            let seconds = time["seconds"]?.intValue ?? 0
            // Go's zero time.Time, which JSON encodes as null.
            guard seconds != -62_135_596_800 else { return .null }
            return .string(Timestamp.format(Date(timeIntervalSince1970: TimeInterval(seconds))))
        case (.intOrString, .bytes(let bytes)):
            let value = try ProtobufMessage(fields: [1: ("type", .int), 2: ("intVal", .int), 3: ("strVal", .string)]).decode(bytes)
            return value["type"] == .int(1) ? (value["strVal"] ?? .string("")) : (value["intVal"] ?? .int(0))
        default:
            throw mismatch("\(type)")
        }
    }

    private static func mismatch(_ name: String) -> ProtobufError {
        ProtobufError(description: "field \(name) has an unexpected wire type")
    }

    private static func emptyValue(_ type: ProtobufType) -> JSONValue {
        switch type {
        case .int: .int(0)
        case .bool: .bool(false)
        default: .string("")
        }
    }

    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null, .string(""), .int(0), .bool(false): true
        case .array(let elements): elements.isEmpty
        case .object(let members): members.isEmpty
        default: false
        }
    }
}
