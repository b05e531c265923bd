import FuzzSupport
@testable import SealKit

/// The manifest decoders on any bytes: Secret, SealedSecret (its items, template, scope,
/// legacy `spec.data`), and key Secrets / Lists of them (both readers the CLI uses). A Secret
/// that decodes is sealed to the vectors' certificate, as the CLI would; a SealedSecret that
/// decodes is written back as JSON and must decode to the same items and template.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    _ = try? KeySecrets.privateKeys(from: bytes)
    _ = try? KeySecrets.material(from: bytes, source: "fuzz")
    guard let documents = try? YAMLReader.manifests(bytes) else { return 0 }
    for document in documents {
        if let secret = try? Secret(node: document.root) {
            _ = secret.metadata.forTemplate()
            _ = try? Sealer(publicKey: Fixtures.certificate.publicKey).seal(secret, allowEmptyData: true)
        }
        if let sealed = try? SealedSecret(node: document.root) {
            _ = sealed.scope
            let written = JSONWriter.write(sealed.node())
            let reread: SealedSecret
            do {
                let documents = try YAMLReader.manifests(written)
                require(documents.count == 1, "one SealedSecret written, \(documents.count) documents read")
                reread = try SealedSecret(node: documents[0].root)
            } catch {
                fatalError("property violated: a SealedSecret written as JSON does not read back: \(error)")
            }
            require(reread.encryptedData == sealed.encryptedData, "encryptedData changed on the way through")
            require(reread.legacyData == sealed.legacyData, "spec.data changed on the way through")
            require(reread.template.data.map(\.key) == sealed.template.data.map(\.key)
                && reread.template.data.map(\.template) == sealed.template.data.map(\.template),
                "spec.template.data changed on the way through")
            require(reread.scope == sealed.scope, "the scope changed on the way through")
        }
    }
    return 0
}
