import FuzzSupport
import SealKit

/// The PEM loaders: private keys (PKCS#1, PKCS#8, encrypted ones refused), certificates, and
/// the key-file reader that accepts either. A key or certificate that loads is used the way
/// SealKit uses it (fingerprint, re-encoding, validity), and re-encoded PEM must load again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    if let key = try? PrivateKey(pem: bytes) {
        _ = key.publicKey.fingerprint
        let pkcs1 = key.pkcs1PEM().copyBytes()
        require((try? PrivateKey(pem: pkcs1))?.publicKey == key.publicKey, "PKCS#1 re-encoding does not load back")
        _ = key.pkcs8PEM()
    }
    if let certificate = try? Certificate(pem: bytes) {
        _ = certificate.publicKey.fingerprint
        _ = certificate.commonName
        _ = try? certificate.validate()
        require((try? Certificate(pem: certificate.pem()))?.publicKey == certificate.publicKey,
                "certificate re-encoding does not load back")
    }
    _ = try? KeySecrets.material(from: bytes, source: "fuzz")
    return 0
}
