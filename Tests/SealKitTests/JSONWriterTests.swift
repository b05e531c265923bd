import Testing
@testable import SealKitYAML

@Suite("JSON writer")
struct JSONWriterTests {
    private func written(_ text: String) -> String {
        var output: [UInt8] = []
        JSONWriter.writeString(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test("plain text is copied as it is, whatever its length")
    func plainText() {
        #expect(written("") == #""""#)
        #expect(written("abc") == #""abc""#)
        let base64 = String(repeating: "AgB4Zm9vYmFyYmF6+/==", count: 40)
        #expect(written(base64) == "\"\(base64)\"")
    }

    @Test("escapes in the middle, at the start and at the end of plain runs")
    func escapes() {
        #expect(written("a\"b\\c\nd\re\tf") == #""a\"b\\c\nd\re\tf""#)
        #expect(written("\"x\"") == #""\"x\"""#)
        #expect(written("\u{1}\u{1F}\u{7F}") == #""\u0001\u001f\u007f""#)
    }

    @Test("non-ASCII characters stay raw, except those libyaml would misread")
    func unicode() {
        #expect(written("é中😀") == "\"é中😀\"")
        #expect(written("a\u{85}b\u{2028}c\u{2029}\u{FEFF}\u{FFFE}\u{FFFF}\u{9F}") == #""a\u0085b\u2028c\u2029\ufeff\ufffe\uffff\u009f""#)
        #expect(written("x\u{A0}😀\u{85}") == "\"x\u{A0}😀\\u0085\"")
    }

    @Test("what is written reads back as the same text")
    func roundTrip() throws {
        let samples = ["", "plain", "mixed \"quotes\" and \\ and \n lines", "é\u{85}\u{2028}😀\u{0}", String(repeating: "ü\"", count: 300)]
        for sample in samples {
            let json = written(sample)
            let node = try #require(JSONReader.parse(Array(json.utf8)))
            #expect(node.scalar?.text == sample)
        }
    }
}
