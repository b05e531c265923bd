internal import COpenSSL

/// Algorithm implementations fetched from OpenSSL's default provider once per process.
///
/// OpenSSL 3 resolves `EVP_sha256()`/`EVP_aes_256_gcm()` through a locked provider lookup on
/// every use; fetching once removes that lock from the per-value hot path (measurably so when
/// both cores seal at once). The objects are immutable and shared read-only, hence
/// `@unchecked Sendable`; they live for the whole process.
final class Algorithms: @unchecked Sendable {
    let sha256: OpaquePointer
    let aes256GCM: OpaquePointer

    static let shared = Algorithms()

    private init() {
        guard let sha256 = EVP_MD_fetch(nil, "SHA2-256", nil),
              let aes = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
        else {
            // Only a broken OpenSSL installation (no default provider) gets here.
            fatalError("OpenSSL's default provider lacks SHA-256 or AES-256-GCM: \(OpenSSLErrorQueue.drain())")
        }
        self.sha256 = sha256
        self.aes256GCM = aes
    }
}
