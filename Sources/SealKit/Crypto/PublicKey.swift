internal import COpenSSL

/// An RSA public key, the half that seals. Obtained from a ``Certificate`` or a ``PrivateKey``.
public struct PublicKey: Sendable, Equatable {
    let key: EVPKey

    init(_ key: EVPKey) { self.key = key }

    public var bits: Int { key.bits }

    /// The DER `SubjectPublicKeyInfo`.
    public var derSubjectPublicKeyInfo: [UInt8] { key.subjectPublicKeyInfoDER() }

    /// `SHA256:<base64>` of the DER public key, the same form `ssh-keygen -l` uses. Stable
    /// across certificate renewals of the same key, so it identifies "which key sealed this".
    public var fingerprint: String {
        "SHA256:" + Base64.encode(Digest.sha256(derSubjectPublicKeyInfo))
    }

    /// PEM `PUBLIC KEY`.
    public func pem() -> String {
        let bytes = MemoryBIO.writing { bio in PEM_write_bio_PUBKEY(bio, key.pointer) == 1 } ?? []
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.derSubjectPublicKeyInfo == rhs.derSubjectPublicKeyInfo
    }
}
