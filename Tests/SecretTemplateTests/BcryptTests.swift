@testable import SecretTemplate
import Testing

/// bcrypt against published known answers (the jBCrypt/OpenBSD test vectors, cost 6), and
/// the shape and verifiability of Sprig's `bcrypt`/`htpasswd` output.
@Suite("bcrypt")
struct BcryptTests {
    static let vectors: [(password: String, hash: String)] = [
        ("", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."),
        ("a", "$2a$06$m0CrhHm10qJ3lXRY.5zDGO3rS2KdeeWLuGmsfGlMfOxih58VYVfxe"),
        ("abc", "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"),
        ("abcdefghijklmnopqrstuvwxyz", "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC"),
        ("~!@#$%^&*()      ~!@#$%^&*()PNBFRD", "$2a$06$fPIsBO8qRqkjj273rfaOI.HtSV9jLDpTbZn782DC6/t7qT67P6FfO"),
    ]

    @Test("Blowfish tables are the digits of pi")
    func tables() {
        #expect(BlowfishTables.p.first == 0x243F_6A88)
        #expect(BlowfishTables.p.last == 0x8979_FB1B)
        #expect(BlowfishTables.s0.first == 0xD131_0BA6)
        #expect(BlowfishTables.s3.last == 0x3AC3_72E6)
    }

    @Test("known answers", arguments: 0..<vectors.count)
    func knownAnswer(_ index: Int) throws {
        let (password, hash) = Self.vectors[index]
        let salt = try #require(Bcrypt.decode(Array(hash.utf8)[7..<29].map { $0 }))
        let computed = try Bcrypt.hash(Array(password.utf8), cost: 6, rawSalt: Array(salt.prefix(16)))
        #expect(String(decoding: computed, as: UTF8.self) == hash)
        #expect(Bcrypt.verify(Array(password.utf8), against: Array(hash.utf8)))
        #expect(!Bcrypt.verify(Array((password + "x").utf8), against: Array(hash.utf8)))
    }

    @Test("htpasswd produces a verifiable $2a$10$ hash with a fresh salt")
    func htpasswd() throws {
        let renderer = TemplateRenderer.testing()
        let values = ["user": Array("alice".utf8), "password": Array("correct horse".utf8)]
        let first = try renderer.render(name: "auth", template: "{{ htpasswd .user .password }}", values: values)
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.hasPrefix("alice:$2a$10$"))
        let hash = Array(first.dropFirst("alice:".count))
        #expect(hash.count == 60)
        // Cost 10 is slow in debug builds; rejection of wrong passwords is covered at cost 6.
        #expect(Bcrypt.verify(Array("correct horse".utf8), against: hash))
    }

    @Test("passwords longer than 72 bytes are refused like x/crypto does")
    func tooLong() throws {
        let output = try TemplateRenderer.testing().render(name: "b", template: #"{{ bcrypt (repeat 73 "x") }}"#, values: [:])
        #expect(String(decoding: output, as: UTF8.self) == "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes")
    }
}
