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

    /// fuzz-manifest: a SealedSecret whose flow mapping holds a key of over 1 000 characters
    /// without a value. It was read, but the JSON written from it was not: libyaml, then the
    /// only reader, refuses an implicit key longer than 1024 characters. The strict JSON reader
    /// reads it back.
    @Test("a SealedSecret with a 1 000-character key reads back from the JSON SealKit writes")
    func longKeyRoundTrips() throws {
        let documents = try YAMLReader.manifests(Self.input("sealedsecret-long-flow-key.json"))
        let sealed = try SealedSecret(node: try #require(documents.first).root)
        let json = JSONWriter.write(sealed.node())
        let reread = try SealedSecret(node: try #require(try YAMLReader.manifests(json).first).root)
        #expect(JSONWriter.write(reread.node()) == json)
    }

    /// fuzz-yaml: `"\N"` (YAML's escape for NEL, U+0085) was written to JSON raw, and libyaml
    /// took the raw NEL for a line break: the value read back as a space. libyaml still reads
    /// SealKit's JSON where byte positions matter (`reseal`'s scalar locator).
    @Test("an escaped NEL reads back the same from the JSON SealKit writes, with libyaml too")
    func nelRoundTrips() throws {
        let documents = try YAMLReader.manifests(Self.input("yaml-escaped-nel.yaml"))
        #expect(documents.map(\.root) == [.string("\u{85}")])
        for document in documents {
            let json = JSONWriter.write(document.root)
            #expect(try YAMLReader.manifests(json).map(\.root.canonical) == [document.root.canonical])
            #expect(try YAMLReader.documents(json).map(\.root.canonical) == [document.root.canonical])
        }
    }

    @Test("characters libyaml refuses raw or reads as line breaks are escaped in JSON",
          arguments: [0x7F, 0x80, 0x85, 0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF] as [UInt32])
    func unicodeEscapesRoundTrip(_ value: UInt32) throws {
        let text = "a\(Character(Unicode.Scalar(value)!))b"
        let sealed = Array("""
            {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "metadata": {"name": "a", "namespace": "b",
             "annotations": {"note": "\(text)"}}, "spec": {"encryptedData": {"k": "AgA="}}}
            """.utf8)
        let node = try #require(try YAMLReader.manifests(sealed).first).root
        let json = JSONWriter.write(node)
        #expect(String(decoding: json, as: UTF8.self).contains(String(format: "\\u%04x", value)))
        #expect(try YAMLReader.documents(json).first?.root == node)
        // reseal finds the ciphertext in the JSON SealKit wrote.
        #expect(try ScalarLocator.entries(under: ["spec", "encryptedData"], in: json).map(\.value) == ["AgA="])
    }
}
