import Foundation
import Testing
@testable import SealKit

/// Whole reference SealedSecrets (YAML and JSON) must unseal to exactly the Secret Bitnami's
/// controller writes, or fail as it does.
@Suite("Reference vectors: manifests")
struct ManifestVectorTests {
    static let names = Fixtures.manifestNames()
    static let unsealer = Unsealer(keys: [Fixtures.privateKey], templates: SecretDataTemplates())

    @Test("all reference manifests are present") func present() {
        #expect(Self.names.count == 6)
    }

    @Test("manifests unseal to their expected Secret", arguments: names.filter { !$0.hasPrefix("neg-") }, ["yaml", "json"])
    func unseals(_ name: String, _ format: String) throws {
        let documents = try YAMLReader.manifests(Fixtures.bytes("manifests/\(name).sealedsecret.\(format)"))
        try #require(documents.count == 1)
        let sealed = try SealedSecret(node: documents[0].root)
        let secret = try Self.unsealer.unseal(sealed)
        let expected = try YAMLReader.manifests(Fixtures.bytes("manifests/\(name).expected-secret.json"))[0].root
        #expect(secret.node().canonical == expected.canonical)
    }

    @Test("the renamed manifest fails naming the item", arguments: ["yaml", "json"])
    func renamed(_ format: String) throws {
        let documents = try YAMLReader.manifests(Fixtures.bytes("manifests/neg-05-renamed.sealedsecret.\(format)"))
        let sealed = try SealedSecret(node: documents[0].root)
        let error = try #require(throws: ManifestError.self) { try Self.unsealer.unseal(sealed) }
        #expect(error.item == "password")
        #expect(error.description.contains("no key could decrypt secret"))
    }
}
