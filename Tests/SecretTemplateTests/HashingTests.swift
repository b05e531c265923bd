import SealKit
@testable import SecretTemplate
import Testing

/// Known-answer tests for the digests the template functions use: FIPS 180-4 example
/// messages (NIST "Example Algorithms") through OpenSSL as SealKit wires it, and RFC 1950 /
/// Wikipedia for Adler-32 (a checksum, implemented here).
@Suite("Hashing")
struct HashingTests {
    private func hex(_ digest: [UInt8]) -> String { String(decoding: Hashing.hex(digest), as: UTF8.self) }
    private enum Hashing {
        static let digests = SecretDataTemplates.openSSLDigests
        static func sha1(_ bytes: [UInt8]) -> [UInt8] { digests.sha1(bytes) }
        static func sha256(_ bytes: [UInt8]) -> [UInt8] { digests.sha256(bytes) }
        static func sha512(_ bytes: [UInt8]) -> [UInt8] { digests.sha512(bytes) }
        static func hex(_ bytes: [UInt8]) -> [UInt8] { SecretTemplate.Hashing.hex(bytes) }
        static func adler32(_ bytes: [UInt8]) -> UInt32 { SecretTemplate.Hashing.adler32(bytes) }
    }

    private static let twoBlock = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    private static let twoBlock512 = Array("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu".utf8)

    @Test func sha1() {
        #expect(hex(Hashing.sha1(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(hex(Hashing.sha1(Self.twoBlock)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(hex(Hashing.sha1([])) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(hex(Hashing.sha1([UInt8](repeating: 0x61, count: 1_000_000))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func sha256() {
        #expect(hex(Hashing.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Hashing.sha256(Self.twoBlock)) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(Hashing.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // 55 and 56 bytes straddle the padding boundary.
        #expect(hex(Hashing.sha256([UInt8](repeating: 0x61, count: 55))) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(hex(Hashing.sha256([UInt8](repeating: 0x61, count: 56))) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    @Test func sha512() {
        #expect(hex(Hashing.sha512(Array("abc".utf8))) == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        #expect(hex(Hashing.sha512(Self.twoBlock512)) == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
        #expect(hex(Hashing.sha512([])) == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
    }

    @Test func adler32() {
        #expect(Hashing.adler32([]) == 1)
        #expect(Hashing.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        // Long input exercises the deferred modulo.
        #expect(Hashing.adler32([UInt8](repeating: 0xFF, count: 100_000)) == adler32Reference([UInt8](repeating: 0xFF, count: 100_000)))
    }

    /// The definition, one modulo per byte.
    private func adler32Reference(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }
}
