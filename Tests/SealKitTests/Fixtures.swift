import Foundation
@testable import SealKit

/// Loads the reference vectors (copied verbatim from Bitnami's implementation run) once per
/// test process; RSA-4096 keys are expensive, so no test generates its own.
enum Fixtures {
    static func url(_ relativePath: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/vectors/public").appendingPathComponent(relativePath)
    }

    static func bytes(_ relativePath: String) -> [UInt8] {
        Array(try! Data(contentsOf: url(relativePath)))
    }

    static let privateKey: PrivateKey = try! PrivateKey(pem: bytes("key.pem"))
    static let otherPrivateKey: PrivateKey = try! PrivateKey(pem: bytes("other_key.pem"))
    static let certificate: Certificate = try! Certificate(pem: bytes("cert.pem"))

    struct Case: Decodable, CustomTestStringConvertible {
        let id: String
        let kind: String
        let scope: String
        let namespace: String
        let name: String
        let key: String
        let label: String
        let plaintext_base64: String
        let ciphertext_base64: String
        let expect: String
        let rng_hex: String?

        var testDescription: String { id }

        var sealingScope: SealingScope { SealingScope(rawValue: scope)! }
        var plaintext: [UInt8] { try! Base64.decode(plaintext_base64) }
    }

    static let cases: [Case] = try! JSONDecoder().decode([Case].self, from: Data(bytes("vectors.json")))

    static func manifestNames() -> [String] {
        let directory = url("manifests")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return Set(files.compactMap { file -> String? in
            guard let range = file.range(of: ".sealedsecret.") else { return nil }
            return String(file[..<range.lowerBound])
        }).sorted()
    }
}

import Testing

extension Node {
    /// The node with every mapping's keys sorted: for comparing objects regardless of field order.
    var canonical: Node {
        switch self {
        case .scalar(let scalar): .scalar(Scalar(scalar.text, style: scalar.kind == .string ? .quoted : .plain))
        case .sequence(let items): .sequence(items.map(\.canonical))
        case .mapping(let mapping):
            .mapping(Mapping(mapping.entries.sorted { $0.key < $1.key }.map { Mapping.Entry(key: $0.key, value: $0.value.canonical) }))
        }
    }
}
