/// Line and column of a byte offset, for findings from text scans (which see bytes, not YAML).
struct LineIndex {
    /// Byte offset where each line starts.
    private let starts: [Int]
    private let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.starts = starts
        self.bytes = bytes
    }

    /// 1-based line and column (columns count characters, as editors do).
    func position(of offset: Int) -> SourceMap.Position {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let lineStart = starts[low]
        let characters = bytes[lineStart ..< min(offset, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count
        return SourceMap.Position(line: low + 1, column: characters + 1)
    }
}
