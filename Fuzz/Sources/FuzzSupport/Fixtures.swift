import Foundation
import SealKit

/// The reference vectors' key pair (Tests/SealKitTests/Fixtures/vectors/public), loaded once:
/// the seed corpora hold ciphertexts sealed to it, so the fuzzers get past the RSA step.
public enum Fixtures {
    /// The repository's root, found from this file's path, so a fuzzer runs from any directory.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func vectorFile(_ name: String) -> [UInt8] {
        let url = repositoryRoot.appendingPathComponent("Tests/SealKitTests/Fixtures/vectors/public/\(name)")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("fuzz fixture \(url.path) is missing")
        }
        return Array(data)
    }

    /// The RSA-4096 key the vectors were sealed to.
    public static let privateKey: PrivateKey = {
        do { return try PrivateKey(pem: vectorFile("key.pem")) } catch { fatalError("fixture key.pem: \(error)") }
    }()

    /// Its self-signed certificate.
    public static let certificate: Certificate = {
        do { return try Certificate(pem: vectorFile("cert.pem")) } catch { fatalError("fixture cert.pem: \(error)") }
    }()
}
