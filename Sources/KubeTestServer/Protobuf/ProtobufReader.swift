/// Why a protobuf body could not be read.
struct ProtobufError: Error, CustomStringConvertible {
    let description: String
}

/// A reader of the protobuf wire format (varints and length-delimited fields), enough to
/// decode the Kubernetes messages this server accepts.
struct ProtobufReader {
    /// One field as found on the wire.
    enum Value {
        case varint(UInt64)
        case bytes(ArraySlice<UInt8>)
        /// Fixed-width values; no Kubernetes field used here has them, they are skipped.
        case fixed
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    /// The next field number and value.
    mutating func next() throws(ProtobufError) -> (field: Int, value: Value) {
        let key = try varint()
        let field = Int(key >> 3)
        guard field > 0 else { throw ProtobufError(description: "invalid field number 0") }
        switch key & 7 {
        case 0:
            return (field, .varint(try varint()))
        case 1:
            try skip(8)
            return (field, .fixed)
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.endIndex - index) else {
                throw ProtobufError(description: "field \(field) is longer than the message")
            }
            let start = index
            index += Int(length)
            return (field, .bytes(bytes[start..<index]))
        case 5:
            try skip(4)
            return (field, .fixed)
        default:
            throw ProtobufError(description: "unsupported wire type \(key & 7) for field \(field)")
        }
    }

    private mutating func varint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex, shift < 64 {
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw ProtobufError(description: "truncated varint")
    }

    private mutating func skip(_ count: Int) throws(ProtobufError) {
        guard bytes.endIndex - index >= count else { throw ProtobufError(description: "truncated fixed-width field") }
        index += count
    }
}
