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
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let chunk = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(chunk & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
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
