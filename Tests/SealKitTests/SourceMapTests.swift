import Testing
@testable import SealKit

@Suite("Source positions of YAML and JSON nodes")
struct SourceMapTests {
    @Test("keys, sequence items and roots, per document, numbered as YAMLReader numbers them") func yaml() throws {
        let text = """
            # comment
            ---
            ---
            apiVersion: v1
            kind: List
            items:
              - kind: Secret
                data: {ü: x, b: y}
              - name: second
            ---
            kind: ConfigMap
            """
        let bytes = Array(text.utf8)
        let map = try SourceMap(bytes)
        let documents = try YAMLReader.manifests(bytes)
        #expect(documents.map(\.index) == [2, 3])
        #expect(map.position(document: 2, path: []) == .init(line: 4, column: 1))
        #expect(map.position(document: 2, path: [.key("items")]) == .init(line: 6, column: 1))
        #expect(map.position(document: 2, path: [.key("items"), .index(0)]) == .init(line: 7, column: 5))
        #expect(map.position(document: 2, path: [.key("items"), .index(0), .key("data"), .key("b")]) == .init(line: 8, column: 18))
        #expect(map.position(document: 2, path: [.key("items"), .index(1), .key("name")]) == .init(line: 9, column: 5))
        #expect(map.position(document: 3, path: [.key("kind")]) == .init(line: 11, column: 1))
        #expect(map.position(document: 2, path: [.key("missing")]) == nil)
        #expect(map.nearest(document: 2, path: [.key("items"), .index(1), .key("missing")]) == .init(line: 9, column: 5))
    }

    @Test("concatenated JSON: each value is one document, lines count from the file's start") func json() throws {
        let text = "{\"a\": 1}\n\n  {\"kind\": \"Secret\",\n   \"data\": {\"k\": \"v\"}}{\"b\": [1, {\"c\": 2}]}"
        let map = try SourceMap(Array(text.utf8))
        #expect(map.position(document: 1, path: [.key("a")]) == .init(line: 1, column: 2))
        #expect(map.position(document: 2, path: []) == .init(line: 3, column: 3))
        #expect(map.position(document: 2, path: [.key("data"), .key("k")]) == .init(line: 4, column: 13))
        #expect(map.position(document: 3, path: [.key("b"), .index(1), .key("c")]) == .init(line: 4, column: 34))
    }

    @Test("malformed input is an error with a position, like YAMLReader's") func malformed() {
        #expect(throws: YAMLError.self) { try SourceMap(Array("a: [\n".utf8)) }
    }
}
