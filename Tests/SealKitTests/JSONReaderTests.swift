import Foundation
import Testing
@testable import SealKit
@testable import SealKitYAML

/// The strict JSON reader must build exactly the tree libyaml builds for valid JSON, and hand
/// everything else back to libyaml (so errors keep their words and positions).
@Suite("JSON reader")
struct JSONReaderTests {
    /// libyaml's reading of `text`, the reference.
    static func viaLibyaml(_ text: String) throws -> Node? {
        try YAMLReader.documents(Array(text.utf8)).first?.root
    }

    /// A small deterministic generator (SplitMix64), so a failure replays.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }

        mutating func string() -> String {
            let pieces = ["a", "Z", "0", " ", "é", "日本", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\u00e9", "\\u0041", "\\b", "\\f",
                          "\\r", "-", ":", "#", "'", "{", "]", ",", "yes", "null", "0123", "1e3", "~", "&a", "*b", "!tag", "%"]
            return (0 ..< next(6)).map { _ in pieces[next(pieces.count)] }.joined()
        }

        mutating func number() -> String {
            let forms = ["0", "-0", "7", "-12", "1234567890123456789012", "0.5", "-3.25", "1e3", "1E-7", "2.5e+10", "-0.0e0"]
            return forms[next(forms.count)]
        }

        mutating func value(depth: Int) -> String {
            switch depth > 4 ? next(4) : next(7) {
            case 0: return "\"\(string())\""
            case 1: return number()
            case 2: return ["true", "false", "null"][next(3)]
            case 3: return "\"\(string())\""
            case 4, 5:
                var keys = Set<String>()
                let entries = (0 ..< next(6)).compactMap { index -> String? in
                    let key = string() + String(index)
                    guard keys.insert(key).inserted else { return nil }
                    return "\"\(key)\"" + [":", " : ", ":\n "][next(3)] + value(depth: depth + 1)
                }
                return "{" + entries.joined(separator: [",", ", ", ",\n  "][next(3)]) + "}"
            default:
                return "[" + (0 ..< next(5)).map { _ in value(depth: depth + 1) }.joined(separator: [",", " , "][next(2)]) + "]"
            }
        }
    }

    @Test("1 000 generated documents: the same tree as libyaml's")
    func generatedDocumentsMatchLibyaml() throws {
        var generator = Generator(state: 20261130)
        var compared = 0
        for _ in 0 ..< 1000 {
            let text = "{\"root\": " + generator.value(depth: 0) + "}"
            let fast = JSONReader.parse(Array(text.utf8))
            #expect(fast != nil, "\(text)")
            #expect(try fast == Self.viaLibyaml(text), "\(text)")
            compared += 1
        }
        #expect(compared == 1000)
    }

    @Test("every JSON fixture: the same tree as libyaml's")
    func fixturesMatchLibyaml() throws {
        let directory = Fixtures.url("manifests")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(names.count >= 10)
        for name in names + ["../meta.json"] {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            #expect(JSONReader.parse(bytes) == (try YAMLReader.documents(bytes).first?.root), "\(name)")
        }
        let large = Array(try Data(contentsOf: Fixtures.url("vectors.json")))
        #expect(JSONReader.parse(large) == (try YAMLReader.documents(large).first?.root))
    }

    @Test("what strict JSON refuses goes back to libyaml", arguments: [
        "", "   ", "null", "{\"a\":1,}", "[1,]", "{'a': 1}", "{a: 1}", "{\"a\": 1} x", "{\"a\": 1}{}", "{\"a\":1,\"a\":2}",
        "[01]", "[1.]", "[.5]", "[+1]", "[NaN]", "[1e]", "[-]", "[\"a\nb\"]", "[\"\\x41\"]", "[\"\\ud800\"]", "[\"\\udc00\"]",
        "[\"\\ud800\\u0041\"]", "[\"\\u12\"]", "[tru]", "[true false]", "{\"a\" 1}", "// c\n{}", "{\"a\":1 /* c */}", "[\"abc",
    ])
    func refusals(_ text: String) {
        #expect(JSONReader.parse(Array(text.utf8)) == nil, "\(text.debugDescription)")
    }

    @Test("invalid UTF-8 and nesting past the limit are refused too")
    func refusedBytes() {
        #expect(JSONReader.parse([UInt8]("[\"".utf8) + [0xC3, 0x28] + [UInt8]("\"]".utf8)) == nil)
        #expect(JSONReader.parse([UInt8]("{\"k\":\"".utf8) + [0xFF] + [UInt8]("\"}".utf8)) == nil)
        let deepest = String(repeating: "[", count: YAMLReader.maximumDepth) + String(repeating: "]", count: YAMLReader.maximumDepth)
        #expect(JSONReader.parse(Array(deepest.utf8)) != nil)
        let tooDeep = "[" + deepest + "]"
        #expect(JSONReader.parse(Array(tooDeep.utf8)) == nil)
    }

    @Test("a surrogate pair escape, which libyaml refuses, reads as its character")
    func surrogatePairs() {
        #expect(JSONReader.parse(Array(#"{"e":"\ud83d\ude00 ok"}"#.utf8)) == .mapping(Mapping(["e": .string("😀 ok")])))
    }

    @Test("errors for invalid JSON manifests still come from libyaml, with their position")
    func errorsUnchanged() {
        #expect(throws: YAMLError.self) { try YAMLReader.manifests(Array("{\"a\": 1, \"a\": 2}".utf8)) }
        do {
            _ = try YAMLReader.manifests(Array("{\n\"a\": 1,\n\"a\": 2}".utf8))
        } catch {
            #expect(error.description.contains("duplicate mapping key \"a\""), "\(error)")
            #expect(error.description.contains("line 3"), "\(error)")
        }
        #expect(throws: YAMLError.self) { try YAMLReader.jsonValue(Array("{\"a\": [1, }".utf8)) }
    }

    @Test("concatenated JSON values are documents 1, 2, …; one that only libyaml reads is still read")
    func manifestsStream() throws {
        let documents = try YAMLReader.manifests(Array("{\"kind\":\"A\"}\n{\"kind\": \"B\", \"x\": \"\\ud83d\\ude00\"}\n".utf8))
        #expect(documents.map(\.index) == [1, 2])
        #expect(documents.map { $0.root.mapping?["kind"]?.scalar?.text } == ["A", "B"])
        #expect(JSONReader.parseStream(Array("{\"kind\":\"A\"}\n{'kind': 'B'}".utf8)) == nil)
        let mixed = try YAMLReader.manifests(Array("{\"kind\":\"A\"}\n{'kind': 'B'}\n[1]".utf8))
        #expect(mixed.map(\.index) == [1, 2, 3])
        #expect(mixed.map { $0.root.mapping?["kind"]?.scalar?.text } == ["A", "B", nil])
    }

    /// Keys past the first 16 of a mapping are checked for duplicates once it ends.
    static func largeObject(keys: Int, duplicateAt: Int?) -> (json: String, yaml: String) {
        let names = (0 ..< keys).map { index in index == duplicateAt ? "key5" : "key\(index)" }
        let json = "{\n" + names.map { "\"\($0)\": \"v\"" }.joined(separator: ",\n") + "\n}"
        let yaml = names.map { "\($0): \"v\"" }.joined(separator: "\n") + "\n"
        return (json, yaml)
    }

    @Test("a duplicate key in a large mapping is found wherever it is, with the line libyaml's check gave", arguments: [9, 16, 17, 39])
    func largeMappingDuplicates(position: Int) throws {
        let (json, yaml) = Self.largeObject(keys: 40, duplicateAt: position)
        #expect(JSONReader.parse(Array(json.utf8)) == nil)
        for (text, line) in [(json, position + 2), (yaml, position + 1)] {
            let error = try #require(throws: YAMLError.self) { try YAMLReader.manifests(Array(text.utf8)) }
            #expect(error.description.contains("duplicate mapping key \"key5\""), "\(error)")
            #expect(error.description.contains("line \(line)"), "\(error)")
        }
    }

    @Test("a large mapping without duplicates: the same tree from both readers")
    func largeMappingWithoutDuplicates() throws {
        let (json, yaml) = Self.largeObject(keys: 5_000, duplicateAt: nil)
        let fast = try #require(JSONReader.parse(Array(json.utf8)))
        #expect(fast.mapping?.count == 5_000)
        #expect(try fast == Self.viaLibyaml(json))
        #expect(try Self.viaLibyaml(yaml) == fast)
    }
}
