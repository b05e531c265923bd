/// Reading and writing JSON text, for tests that build request bodies or inspect responses.
extension JSONValue {
    /// Parses a complete JSON document (RFC 8259).
    /// - Throws: An error naming the byte offset of the first problem.
    public init(parsing bytes: [UInt8]) throws {
        self = try JSONParser.parse(bytes)
    }

    /// Parses a complete JSON document given as text.
    public init(parsing text: String) throws {
        self = try JSONParser.parse(text)
    }

    /// The compact UTF-8 encoding, with object keys sorted.
    public var serializedBytes: [UInt8] {
        JSONWriter.bytes(self)
    }

    /// The compact encoding as text, with object keys sorted.
    public var serialized: String {
        JSONWriter.string(self)
    }
}
