import Testing
@testable import SealKit
@testable import SealKitCrypto

@Suite("SecretBytes")
struct SecretBytesTests {
    @Test("copyBytes hands out a buffer of its own, so wiping it wipes that very buffer") func ownedCopy() {
        let secret = SecretBytes(utf8: "hunter2")
        var copy = secret.copyBytes()
        let original = secret.withUnsafeBytes { $0.baseAddress }
        let copied = copy.withUnsafeBytes { $0.baseAddress }
        #expect(original != copied)
        let before = copy.withUnsafeBytes { $0.baseAddress }
        copy.withUnsafeMutableBytes { SecureWipe.wipe($0) }
        // Wiped in place (no copy-on-write copy was made), and the secret itself is untouched.
        #expect(copy.withUnsafeBytes { $0.baseAddress } == before)
        #expect(copy == Array(repeating: 0, count: 7))
        #expect(secret == SecretBytes(utf8: "hunter2"))
    }
}
