/// The framing of one `encryptedData` value, read without any key (DESIGN 1.1):
/// base64 of `uint16_be(len(R)) ‖ R ‖ AES-GCM ciphertext ‖ 16-byte tag`. Enough to tell a damaged
/// or foreign value, and — since `len(R)` is the RSA modulus size — which key size sealed it,
/// before anyone applies it to a cluster.
struct CiphertextShape: Equatable {
    /// AES-GCM appends a 16-byte tag even to an empty value.
    static let tagLength = 16

    enum Problem: Error, Equatable {
        case base64(Base64.DecodingError)
        case tooShort(count: Int)
        case truncated(rsaLength: Int, available: Int)
    }

    /// Bytes of the RSA-OAEP part: the sealing key's modulus size in bytes.
    var rsaLength: Int
    /// Bytes of AES-GCM ciphertext and tag after it.
    var bodyLength: Int

    static func read(_ text: String) -> Result<CiphertextShape, Problem> {
        let bytes: [UInt8]
        do { bytes = try Base64.decode(text) } catch { return .failure(.base64(error)) }
        guard bytes.count >= 2 else { return .failure(.tooShort(count: bytes.count)) }
        let rsaLength = Int(bytes[0]) << 8 | Int(bytes[1])
        let available = bytes.count - 2
        guard available >= rsaLength + tagLength else {
            return .failure(.truncated(rsaLength: rsaLength, available: available))
        }
        return .success(CiphertextShape(rsaLength: rsaLength, bodyLength: available - rsaLength))
    }
}
