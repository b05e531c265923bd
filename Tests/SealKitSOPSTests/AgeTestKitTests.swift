import Foundation
import Testing
@testable import SealKit
@testable import SealKitSOPS

/// The age project's own test vectors (C2SP/CCTV `age/testdata`): every success vector must
/// decrypt to the payload hash, and every failure vector must fail in the stage it names.
@Suite("age test kit vectors")
struct AgeTestKitTests {
    struct Vector: CustomTestStringConvertible {
        let name: String
        let expect: String
        let payloadHash: String?
        let identities: [String]
        let passphrases: [String]
        let armored: Bool
        let file: [UInt8]

        var testDescription: String { name }
    }

    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/age-testkit")

    static let vectors: [Vector] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted().map { name in
            let data = [UInt8](FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)!)
            var split = 0
            while !(data[split] == 0x0A && data[split + 1] == 0x0A) { split += 1 }
            var fields: [(String, String)] = []
            for line in String(decoding: data[..<split], as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                fields.append((parts[0], parts.count > 1 ? parts[1] : ""))
            }
            func all(_ key: String) -> [String] { fields.filter { $0.0 == key }.map(\.1) }
            return Vector(name: name, expect: all("expect").first ?? "", payloadHash: all("payload").first,
                          identities: all("identity"), passphrases: all("passphrase"),
                          armored: all("armored").first == "yes", file: Array(data[(split + 2)...]))
        }
    }()

    @Test("the fixture set is complete")
    func fixtureCount() {
        #expect(Self.vectors.count == 121)
        #expect(Self.vectors.filter { $0.expect == "success" }.count == 18)
    }

    @Test("each vector decrypts or fails as the test kit says", arguments: vectors)
    func vector(_ vector: Vector) throws {
        let identities = try vector.identities.map { try AgeIdentity(parsing: $0) }
        let passphrase = vector.passphrases.first.map { SecretBytes(utf8: $0) }
        var released: [UInt8] = []
        var outcome = "success"
        do {
            try Age.decrypt(vector.file, armored: vector.armored, with: Age.Identities(identities, passphrase: passphrase)) { chunk in
                chunk.withUnsafeBytes { released.append(contentsOf: $0) }
            }
        } catch {
            switch error.code {
            case .armor: outcome = "armor failure"
            case .header: outcome = "header failure"
            case .noMatch: outcome = "no match"
            case .headerMAC: outcome = "HMAC failure"
            case .payload: outcome = "payload failure"
            case .invalidKey, .crypto: outcome = "other: \(error)"
            }
        }
        #expect(outcome == vector.expect, "\(vector.name)")
        // Whatever was released before a failure must be genuine plaintext too.
        if let hash = vector.payloadHash {
            #expect(hex(Digest.sha256(released)) == hash, "\(vector.name): released plaintext")
        }
    }

    func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
