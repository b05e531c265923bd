/// Helpers to view libFuzzer's input.
public enum Input {
    /// The input as an array.
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Splits at the first `separator`: what precedes it and what follows (nil if absent).
    public static func split(_ bytes: [UInt8], at separator: UInt8) -> (head: [UInt8], tail: [UInt8])? {
        guard let index = bytes.firstIndex(of: separator) else { return nil }
        return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
    }
}
