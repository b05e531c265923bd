internal import COpenSSL

/// An RSA public key, the half that seals. Obtained from a ``Certificate`` or a ``PrivateKey``.
public struct PublicKey: Sendable, Equatable {
    let key: EVPKey

    init(_ key: EVPKey) { self.key = key }

    public var bits: Int { key.bits }

    /// The DER `SubjectPublicKeyInfo`.
    public var derSubjectPublicKeyInfo: [UInt8] { key.subjectPublicKeyInfoDER() }

    /// `SHA256:<base64>` exactly as `ssh-keygen -l` prints it for this key (SHA-256 of the SSH
    /// `ssh-rsa` encoding, unpadded base64). Stable across certificate renewals of one key, so
    /// it names "which key sealed this" in a form operators can check with standard tools.
    public var fingerprint: String {
        var wire: [UInt8] = []
        func appendString(_ bytes: [UInt8]) {
            let count = UInt32(bytes.count)
            wire += [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
            wire += bytes
        }
        /// SSH `mpint`: big-endian, with a leading zero when the top bit is set.
        func mpint(_ bytes: [UInt8]) -> [UInt8] {
            let trimmed = Array(bytes.drop { $0 == 0 })
            return (trimmed.first ?? 0) & 0x80 != 0 ? [0] + trimmed : trimmed
        }
        appendString(Array("ssh-rsa".utf8))
        appendString(mpint(key.rsaComponent("e")))
        appendString(mpint(key.rsaComponent("n")))
        let encoded = Base64.encode(Digest.sha256(wire))
        return "SHA256:" + encoded.prefix { $0 != "=" }
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
