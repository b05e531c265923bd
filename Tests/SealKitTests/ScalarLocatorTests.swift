import Testing
@testable import SealKit
@testable import SealKitYAML

@Suite("Byte-exact scalar locations")
struct ScalarLocatorTests {
    static let yaml = """
        # Grüße — a comment with multi-byte characters before the data
        apiVersion: bitnami.com/v1alpha1
        kind: SealedSecret
        metadata: {name: x, namespace: "ns"}   # flow style
        spec:
          encryptedData:
            plain: AgBplain+/=
            single: 'AgBsingle'
            double: "AgBdouble"   # trailing comment
            block: |
              AgBblock
          template: {metadata: {labels: {k: v}}}
        ---
        kind: SealedSecret
        spec:
          encryptedData: {ü: AgBsecond}
        """

    @Test("ranges cover exactly the scalar, in bytes, for every style") func ranges() throws {
        let bytes = Array(Self.yaml.utf8)
        let locations = try ScalarLocator.entries(under: ["spec", "encryptedData"], in: bytes)
        #expect(locations.map(\.path.last!) == ["plain", "single", "double", "block", "ü"])
        #expect(locations.map(\.document) == [1, 1, 1, 1, 2])
        let texts = locations.map { String(decoding: bytes[$0.range], as: UTF8.self) }
        #expect(texts[0] == "AgBplain+/=")
        #expect(texts[1] == "'AgBsingle'")
        #expect(texts[2] == "\"AgBdouble\"")
        #expect(texts[3].hasPrefix("|"))
        #expect(texts[4] == "AgBsecond")
        #expect(locations.map(\.style) == [.plain, .singleQuoted, .doubleQuoted, .literal, .plain])
    }

    @Test("replacing the ranges changes nothing else") func edits() throws {
        let bytes = Array(Self.yaml.utf8)
        let locations = try ScalarLocator.entries(under: ["spec", "encryptedData"], in: bytes)
        let edits = locations.map { location in
            ByteSpliceEditor.Edit(range: location.range, replacement: ByteSpliceEditor.scalarReplacement(
                "NEW" + location.path.last!, style: location.style, original: bytes[location.range]))
        }
        let edited = String(decoding: ByteSpliceEditor.apply(edits, to: bytes), as: UTF8.self)
        #expect(edited.contains("    plain: NEWplain\n"))
        #expect(edited.contains("    single: 'NEWsingle'\n"))
        #expect(edited.contains("    double: \"NEWdouble\"   # trailing comment\n"))
        #expect(edited.contains("    block: \"NEWblock\"\n  template:"))
        #expect(edited.contains("{ü: NEWü}"))
        #expect(edited.hasPrefix("# Grüße — a comment"))
        // And the result still parses to the new values.
        let documents = try YAMLReader.manifests(Array(edited.utf8))
        let data = documents[0].root.mapping?["spec"]?.mapping?["encryptedData"]?.mapping
        #expect(data?["block"]?.scalar?.text == "NEWblock")
    }

    @Test("concatenated JSON: ranges are offsets into the whole stream") func json() throws {
        let text = #"{"spec": {"encryptedData": {"a": "AgBa"}}}  {"spec": {"encryptedData": {"b": "AgBb"}}}"#
        let bytes = Array(text.utf8)
        let locations = try ScalarLocator.entries(under: ["spec", "encryptedData"], in: bytes)
        #expect(locations.map { String(decoding: bytes[$0.range], as: UTF8.self) } == ["\"AgBa\"", "\"AgBb\""])
        #expect(locations.map(\.document) == [1, 2])
    }
}
