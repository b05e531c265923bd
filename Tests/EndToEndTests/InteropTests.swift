import Foundation
import Testing
@testable import SealKit

/// Ciphertexts SealKit's CLI writes must open with an independent implementation: the PyPI
/// package `aes-gcm-rsa-oaep` over pyca/cryptography. `.ci/run` installs it; on a developer
/// machine without it the test is skipped unless `CI` is set, where it must run.
@Suite("Interoperability with an independent implementation")
struct InteropTests {
    static let pythonReady: Bool = {
        guard let result = try? run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import aes_gcm_rsa_oaep, cryptography"],
                                    in: FileManager.default.temporaryDirectory) else { return false }
        return result.status == 0
    }()

    static var required: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    @Test("python decrypts what sealkit seals, in all three scopes", .enabled(if: pythonReady || required))
    func pythonDecrypts() throws {
        try #require(Self.pythonReady, "python3 with aes-gcm-rsa-oaep and cryptography is required in CI (pip install aes-gcm-rsa-oaep)")
        let workspace = try Workspace()
        let secret = """
            apiVersion: v1
            kind: Secret
            metadata: {name: api-token, namespace: team-a}
            stringData: {password: hunter2, unicode: "Grüße 🔐", empty: ""}
            data: {binary: AAEC/w==}
            """
        var cases: [[String: String]] = []
        let plaintexts = ["password": "hunter2", "unicode": "Grüße 🔐", "empty": ""]
        for scope in SealingScope.allCases {
            let result = try workspace.sealkit(["--cert", "cert.pem", "--scope", scope.rawValue], stdin: secret)
            try #require(result.status == 0, "\(result.stderr)")
            let sealed = try SealedSecret(node: try YAMLReader.manifests(Array(result.stdout.utf8))[0].root)
            let label = String(decoding: scope.label(namespace: "team-a", name: "api-token"), as: UTF8.self)
            for item in sealed.encryptedData {
                let plaintext = item.key == "binary" ? [0, 1, 2, 255] : Array(plaintexts[item.key]!.utf8)
                cases.append(["ciphertext": item.ciphertext, "label": label, "plaintext": Base64.encode(plaintext)])
            }
        }
        #expect(cases.count == 12)
        let request = try JSONSerialization.data(withJSONObject: ["key_pem": workspace.path("key.pem").path, "cases": cases])
        let script = Binaries.fixtures.appendingPathComponent("independent_decrypt.py").path
        let result = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script],
                             stdin: String(decoding: request, as: UTF8.self), in: workspace.url)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == 12)
    }
}
