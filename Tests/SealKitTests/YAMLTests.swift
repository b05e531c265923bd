import Testing
@testable import SealKit
@testable import SealKitYAML

@Suite("YAML and JSON")
struct YAMLTests {
    private func parse(_ text: String) throws -> [YAMLReader.Document] {
        try YAMLReader.manifests(Array(text.utf8))
    }

    private func yaml(_ node: Node) throws -> String {
        String(decoding: try YAMLWriter.write(node), as: UTF8.self)
    }

    @Test("scalars keep their text and quoting decides their type")
    func scalarsKeepText() throws {
        let root = try #require(try parse("a: 0123\nb: \"0123\"\nc: yes\nd: 1e3\ne: ~\nf: true\ng: 'x'\n").first?.root.mapping)
        #expect(root["a"]?.scalar == Scalar("0123", style: .plain))
        #expect(root["a"]?.scalar?.kind == .int)
        #expect(root["b"]?.scalar?.kind == .string)
        #expect(root["c"]?.scalar?.kind == .string)  // YAML 1.2: "yes" is a string
        #expect(root["d"]?.scalar?.kind == .float)
        #expect(root["e"]?.isNull == true)
        #expect(root["f"]?.scalar?.boolValue == true)
        #expect(root["g"]?.scalar?.kind == .string)
    }

    @Test("strings that would change type are quoted on output", arguments: [
        "0123", "yes", "No", "on", "1e3", "true", "null", "~", "", "2024-01-01", "12:30", "0x1F", "-1", ".5", "y",
    ])
    func quotedWhenAmbiguous(_ text: String) throws {
        let output = try yaml(.mapping(Mapping(["k": .string(text)])))
        #expect(output == "k: \"\(text)\"\n")
        #expect(try parse(output).first?.root.mapping?["k"] == .string(text))
    }

    @Test("plain strings stay plain", arguments: ["hello", "db-credentials", "app.kubernetes.io/name", "AgBx+/=", "-leading-dash"])
    func plainWhenSafe(_ text: String) throws {
        #expect(try yaml(.mapping(Mapping(["k": .string(text)]))) == "k: \(text)\n")
    }

    @Test("multi-line strings become literal blocks and round-trip")
    func literalBlocks() throws {
        let text = "line one\nline two\n"
        let output = try yaml(.mapping(Mapping(["config": .string(text)])))
        #expect(output == "config: |\n  line one\n  line two\n")
        #expect(try parse(output).first?.root.mapping?["config"] == .string(text))
    }

    @Test("block output looks like kubectl's")
    func kubectlLayout() throws {
        let node = Node.mapping(Mapping([
            "metadata": .mapping(Mapping(["name": .string("x"), "labels": .mapping(Mapping())])),
            "items": .sequence([.mapping(Mapping(["a": .int(1), "b": .bool(false)]))]),
        ]))
        #expect(try yaml(node) == "metadata:\n  name: x\n  labels: {}\nitems:\n- a: 1\n  b: false\n")
    }

    @Test("JSON output is pretty, ordered as the tree, and always valid")
    func jsonOutput() throws {
        let node = try #require(try parse("b: 1\na: [x, 0x1F, .inf]\nc: {}\nd: \"q\\\"\\n\\u0001\"\n").first?.root)
        let json = String(decoding: JSONWriter.write(node), as: UTF8.self)
        #expect(json == """
            {
              "b": 1,
              "a": [
                "x",
                "0x1F",
                ".inf"
              ],
              "c": {},
              "d": "q\\"\\n\\u0001"
            }

            """)
        #expect(try parse(json).first?.root.canonical == node.canonical.withPlainNumbersAsStrings)
    }

    @Test("multi-document YAML: empty documents are skipped but counted")
    func multiDocument() throws {
        let documents = try parse("---\na: 1\n---\n# only a comment\n---\nb: 2\n---\n")
        #expect(documents.map(\.index) == [1, 3])
    }

    @Test("concatenated JSON objects are separate documents")
    func concatenatedJSON() throws {
        let documents = try parse("{\"a\": \"1\"}{\"b\": [1, {\"c\": \"}\"}]}\n\t{\"d\": \"\\/\"}")
        #expect(documents.count == 3)
        #expect(documents[1].root.mapping?["b"]?.sequence?.count == 2)
        #expect(documents[2].root.mapping?["d"] == .string("/"))
    }

    @Test("malformed input gives the document, line and column", arguments: [
        ("a: 1\n---\nb: [1, 2\n", 2, 4),
        ("a: b: c\n", 1, 5),
        ("{\"a\": 1,,}", 1, 9),
    ])
    func syntaxErrors(_ input: String, _ document: Int, _ line: Int) throws {
        let error = try #require(throws: YAMLError.self) { try parse(input) }
        #expect(error.document == document)
        #expect(error.line != nil)
        #expect(!error.description.contains("\n"))
    }

    @Test("unbalanced or trailing JSON is rejected")
    func badJSON() {
        #expect(throws: YAMLError.self) { try parse("{\"a\": 1") }
        #expect(throws: YAMLError.self) { try parse("{\"a\": 1} trailing") }
        #expect(throws: YAMLError.self) { try parse("{\"a\": 1}}") }
    }

    @Test("duplicate keys are an error")
    func duplicateKeys() throws {
        let error = try #require(throws: YAMLError.self) { try parse("a: 1\na: 2\n") }
        #expect(error.message.contains("duplicate"))
    }

    @Test("alias bombs stop at the expansion budget")
    func billionLaughs() throws {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for level in 1 ... 9 {
            let name = "l\(level)"
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = name
        }
        let error = try #require(throws: YAMLError.self) { try parse(text) }
        #expect(error.message.contains("alias"))
    }

    @Test("aliases within budget expand")
    func aliases() throws {
        let root = try #require(try parse("base: &b {x: 1}\ncopy: *b\n").first?.root.mapping)
        #expect(root["copy"] == root["base"])
    }

    @Test("deep nesting is bounded")
    func deepNesting() {
        let text = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        #expect(throws: YAMLError.self) { try parse(text) }
    }

    @Test("keys must be scalars")
    func complexKeys() {
        #expect(throws: YAMLError.self) { try parse("? [a, b]\n: c\n") }
    }
}

extension Node {
    /// JSON output writes non-JSON numbers (0x1F, .inf) as strings.
    fileprivate var withPlainNumbersAsStrings: Node {
        switch self {
        case .scalar(let scalar) where [.int, .float].contains(scalar.kind) && !JSONWriter.isJSONNumber(scalar.text):
            .scalar(Scalar(scalar.text, style: .quoted))
        case .scalar: self
        case .sequence(let items): .sequence(items.map(\.withPlainNumbersAsStrings))
        case .mapping(let mapping):
            .mapping(Mapping(mapping.entries.map { Mapping.Entry(key: $0.key, value: $0.value.withPlainNumbersAsStrings) }))
        }
    }
}
