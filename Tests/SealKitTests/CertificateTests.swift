import Foundation
import Testing
@testable import SealKit
@testable import SealKitCrypto

@Suite("Keys and certificates")
struct CertificateTests {
    /// One 2048-bit key for the whole suite; the size keeps generation cheap.
    static let key: PrivateKey = try! PrivateKey.generateRSA(bits: 2048)

    @Test("the reference certificate loads and is valid") func reference() throws {
        let certificate = Fixtures.certificate
        try certificate.validate()
        #expect(certificate.publicKey.bits == 4096)
        #expect(certificate.commonName == "")
        #expect(certificate.notAfter > Date())
    }

    @Test("self-signed certificates carry the requested name and validity") func selfSigned() throws {
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let certificate = try Certificate.selfSigned(for: Self.key, commonName: "sealed-secret", validity: 86400, notBefore: start)
        #expect(certificate.commonName == "sealed-secret")
        #expect(certificate.notBefore == start)
        #expect(certificate.notAfter == start.addingTimeInterval(86400))
        #expect(certificate.publicKey == Self.key.publicKey)
        let reread = try Certificate(pem: certificate.pem())
        #expect(reread.publicKey == certificate.publicKey)
    }

    @Test("expired and not-yet-valid certificates are refused") func validity() throws {
        let expired = try Certificate.selfSigned(for: Self.key, validity: 3600, notBefore: Date(timeIntervalSinceNow: -7200))
        #expect(throws: CryptoError(.certificateExpired, "")) { try expired.validate() }
        let future = try Certificate.selfSigned(for: Self.key, validity: 3600, notBefore: Date(timeIntervalSinceNow: 7200))
        #expect(throws: CryptoError(.certificateNotYetValid, "")) { try future.validate() }
    }

    @Test("garbage is not a certificate or a key") func garbage() {
        #expect(throws: CryptoError(.invalidCertificate, "")) { try Certificate(pem: "not a certificate") }
        #expect(throws: CryptoError(.invalidCertificate, "")) { try Certificate(pem: Array(Fixtures.bytes("key.pem"))) }
        #expect(throws: CryptoError(.invalidPrivateKey, "")) { try PrivateKey(pem: Fixtures.bytes("cert.pem")) }
        #expect(throws: CryptoError(.invalidPrivateKey, "")) { try PrivateKey(pem: "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n") }
    }

    @Test("keys round-trip through PKCS#1 and PKCS#8 PEM") func pem() throws {
        let pkcs1 = String(decoding: Self.key.pkcs1PEM().copyBytes(), as: UTF8.self)
        let pkcs8 = String(decoding: Self.key.pkcs8PEM().copyBytes(), as: UTF8.self)
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try PrivateKey(pem: pkcs1).publicKey == Self.key.publicKey)
        #expect(try PrivateKey(pem: pkcs8).publicKey == Self.key.publicKey)
        // The reference key (PKCS#1 as Bitnami writes it) re-serialises byte for byte.
        #expect(Fixtures.privateKey.pkcs1PEM().copyBytes() == Fixtures.bytes("key.pem"))
    }

    @Test("small keys are refused") func keySize() {
        #expect(throws: CryptoError(.keyTooSmall, "")) { try PrivateKey.generateRSA(bits: 1024) }
    }

    @Test("secret bytes never print their content") func redaction() {
        let secret = SecretBytes(utf8: "hunter2")
        #expect(!"\(secret)".contains("hunter2"))
        #expect(!String(reflecting: secret).contains("hunter2"))
        #expect(secret == SecretBytes(utf8: "hunter2"))
        #expect(secret != SecretBytes(utf8: "hunter3"))
    }
}
