import Foundation
import KubeClient
import SealKit
@testable import SealKitController

/// The reference key pair (shared with the core tests), loaded once per process.
enum ControllerFixtures {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SealKitTests/Fixtures/vectors/public")

    static func bytes(_ name: String) -> [UInt8] {
        Array(try! Data(contentsOf: vectors.appendingPathComponent(name)))
    }

    static let key = SealingKey(name: "sealed-secrets-keyabcde", privateKey: try! PrivateKey(pem: bytes("key.pem")),
                                certificate: try! Certificate(pem: bytes("cert.pem")))
    static let otherKey = SealingKey(name: "sealed-secrets-keyzzzzz", privateKey: try! PrivateKey(pem: bytes("other_key.pem")),
                                     certificate: try! Certificate(pem: bytes("other_cert.pem")))

    static func object(_ yaml: String) -> KubeObject {
        KubeObject(try! YAMLReader.manifests(Array(yaml.utf8))[0].root)
    }

    static func secret(_ yaml: String) -> Secret {
        try! Secret(node: try! YAMLReader.manifests(Array(yaml.utf8))[0].root)
    }
}
