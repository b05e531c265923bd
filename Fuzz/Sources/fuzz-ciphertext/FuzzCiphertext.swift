import FuzzSupport
import SealKit

/// The unsealing path of one value with the reference vectors' key: Go-compatible base64, the
/// 2-byte length prefix, the RSA-OAEP / AES-GCM split, and the decryption itself.
/// Input: the OAEP label (the scope's `namespace/name`), a newline, the base64 ciphertext as it
/// stands in `encryptedData`. Property: base64 that decodes re-encodes to text that decodes to
/// the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    let (label, text) = Input.split(bytes, at: UInt8(ascii: "\n")) ?? ([], bytes)
    guard let ciphertext = try? Base64.decode(utf8: text) else { return 0 }
    require((try? Base64.decode(Base64.encode(ciphertext))) == ciphertext, "base64 does not round-trip")
    var attempts = 0
    if let opened = try? HybridCipher.open(ciphertext, with: [Fixtures.privateKey], label: label, tryingFirst: [0], attempts: &attempts) {
        require(opened.keyIndex == 0 && attempts == 1, "one key, one attempt")
    }
    require(attempts <= 1, "more RSA attempts than keys")
    return 0
}
