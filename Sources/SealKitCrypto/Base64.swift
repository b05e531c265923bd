/// Standard base64 (RFC 4648 §4, with padding), decoding exactly as Go's
/// `base64.StdEncoding.DecodeString` does: `\r` and `\n` are skipped, anything else outside
/// the alphabet, a missing `=` or trailing data is an error at a byte offset. Matching Go
/// matters: a value kubeseal or the controller rejects must be rejected here too.
public enum Base64 {
    /// Why a string is not valid base64; `offset` is the byte index Go would report.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        public let offset: Int
        public var description: String { "illegal base64 data at input byte \(offset)" }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        // One dynamic call to reach the bytes, then a loop the compiler specializes: the
        // generic iterator cost more than the encoding itself when sealing many items.
        if let encoded = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) { return encoded }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    private static func encode(buffer input: UnsafeBufferPointer<UInt8>) -> String {
        let length = (input.count + 2) / 3 * 4
        return alphabet.withUnsafeBufferPointer { table in
            String(unsafeUninitializedCapacity: length) { output in
                var read = 0
                var written = 0
                while read + 3 <= input.count {
                    let chunk = UInt32(input[read]) << 16 | UInt32(input[read + 1]) << 8 | UInt32(input[read + 2])
                    output[written] = table[Int(chunk >> 18 & 0x3F)]
                    output[written + 1] = table[Int(chunk >> 12 & 0x3F)]
                    output[written + 2] = table[Int(chunk >> 6 & 0x3F)]
                    output[written + 3] = table[Int(chunk & 0x3F)]
                    read += 3
                    written += 4
                }
                let remaining = input.count - read
                if remaining > 0 {
                    let second = remaining == 2 ? UInt32(input[read + 1]) : 0
                    let chunk = UInt32(input[read]) << 16 | second << 8
                    output[written] = table[Int(chunk >> 18 & 0x3F)]
                    output[written + 1] = table[Int(chunk >> 12 & 0x3F)]
                    output[written + 2] = remaining == 2 ? table[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "=")
                    output[written + 3] = UInt8(ascii: "=")
                    written += 4
                }
                return written
            }
        }
    }

    public static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        try decode(utf8: Array(text.utf8))
    }

    public static func decode(utf8 input: [UInt8]) throws(DecodingError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        var quantum: [UInt8] = []
        quantum.reserveCapacity(4)
        var quantumStart = 0
        var index = 0
        var finished = false
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") { index += 1; continue }
            if finished { throw DecodingError(offset: index) }
            if quantum.isEmpty { quantumStart = index }
            if byte == UInt8(ascii: "=") {
                // Padding is legal only in the last two positions of a quantum.
                switch quantum.count {
                case 2:
                    // Needs a second '=' (skipping newlines) to complete "xx==".
                    var next = index + 1
                    while next < input.count, input[next] == UInt8(ascii: "\r") || input[next] == UInt8(ascii: "\n") { next += 1 }
                    guard next < input.count, input[next] == UInt8(ascii: "=") else {
                        throw DecodingError(offset: next < input.count ? next : index)
                    }
                    try append(quantum, to: &output, at: quantumStart)
                    index = next + 1
                case 3:
                    try append(quantum, to: &output, at: quantumStart)
                    index += 1
                default:
                    throw DecodingError(offset: index)
                }
                quantum.removeAll(keepingCapacity: true)
                finished = true
                continue
            }
            let value = decodeTable[Int(byte)]
            guard value != 0xFF else { throw DecodingError(offset: index) }
            quantum.append(value)
            if quantum.count == 4 {
                try append(quantum, to: &output, at: quantumStart)
                quantum.removeAll(keepingCapacity: true)
            }
            index += 1
        }
        if !quantum.isEmpty { throw DecodingError(offset: input.count) }
        return output
    }

    /// Bits after the last whole byte of a padded quantum are dropped whatever they are: Go's
    /// `StdEncoding` is not `Strict()`, so kubeseal and the controller accept `YR==` as "a".
    private static func append(_ quantum: [UInt8], to output: inout [UInt8], at offset: Int) throws(DecodingError) {
        let chunk = quantum.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (18 - 6 * UInt32($1.offset)) }
        output.append(UInt8(chunk >> 16 & 0xFF))
        if quantum.count > 2 { output.append(UInt8(chunk >> 8 & 0xFF)) }
        if quantum.count > 3 { output.append(UInt8(chunk & 0xFF)) }
    }
}
