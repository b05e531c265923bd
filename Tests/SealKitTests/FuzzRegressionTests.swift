import Foundation
import Testing
@testable import SealKit
@testable import SealKitYAML

/// Inputs the fuzz targets in Fuzz/ found (scripts/fuzz.sh), replayed on every test run. Each
/// file in Fixtures/fuzz is the minimised input libFuzzer saved.
@Suite("Fuzzing regressions")
struct FuzzRegressionTests {
    static func input(_ name: String) -> [UInt8] {
        Array(try! Data(contentsOf: Bundle.module.resourceURL!.appendingPathComponent("Fixtures/fuzz").appendingPathComponent(name)))
    }

    /// fuzz-manifest: a flow-mapping key of over 1 000 characters without a value was read; the
    /// JSON written from the SealedSecret then did not read back, because libyaml refuses an
    /// implicit key longer than 1024 characters.
    @Test("a key too long to read back from JSON is refused when read")
    func longKeyRefused() throws {
        let error = #expect(throws: YAMLError.self) { try YAMLReader.manifests(Self.input("sealedsecret-long-flow-key.json")) }
        #expect(error?.message.contains("mapping key too long") == true)
    }

    @Test("keys up to the limit read back from the JSON and the YAML SealKit writes")
    func longestKeysRoundTrip() throws {
        let keys = [String(repeating: "k", count: 1022), String(repeating: "\u{1}", count: 170), String(repeating: "\n", count: 511),
                    String(repeating: "é", count: 1022)]
        for key in keys {
            let node = Node.mapping(Mapping([.init(key: key, value: .string("v"))]))
            #expect(try YAMLReader.manifests(JSONWriter.write(node)).first?.root == node)
            #expect(try YAMLReader.manifests(YAMLWriter.write(node)).first?.root.canonical == node.canonical)
        }
        // One character more is refused when read, from YAML as from JSON.
        #expect(throws: YAMLError.self) { try YAMLReader.manifests(Array("? \(String(repeating: "k", count: 1023))\n: v\n".utf8)) }
        #expect(throws: YAMLError.self) { try YAMLReader.manifests(Array("{\"a\": 1, \"\(String(repeating: "k", count: 1023))\"}".utf8)) }
    }

    /// fuzz-yaml: `"\N"` (YAML's escape for NEL, U+0085) was written to JSON raw, and libyaml
    /// took the raw NEL for a line break when reading the JSON back: the value came back a space.
    @Test("what the reader accepts reads back the same from the JSON SealKit writes")
    func nelRoundTrips() throws {
        let documents = try YAMLReader.manifests(Self.input("yaml-escaped-nel.yaml"))
        #expect(documents.map(\.root) == [.string("\u{85}")])
        for document in documents {
            #expect(try YAMLReader.manifests(JSONWriter.write(document.root)).map(\.root.canonical) == [document.root.canonical])
        }
    }

    @Test("characters libyaml refuses raw or reads as line breaks are escaped in JSON and read back",
          arguments: [0x1F, 0x7F, 0x80, 0x85, 0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF] as [UInt32])
    func unicodeEscapesRoundTrip(_ value: UInt32) throws {
        let text = "a\(Character(Unicode.Scalar(value)!))b"
        let node = Node.mapping(Mapping([.init(key: text, value: .string(text))]))
        let json = JSONWriter.write(node)
        #expect(String(decoding: json, as: UTF8.self).contains(String(format: "\\u%04x", value)))
        #expect(try YAMLReader.manifests(json).first?.root == node)
    }
}
