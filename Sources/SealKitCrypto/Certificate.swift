public import Foundation
internal import COpenSSL

/// An X.509 certificate carrying the public key that seals. Sealing trusts it only after
/// ``validate(at:)``: RSA, at least ``PrivateKey/minimumBits``, inside its validity period.
public struct Certificate: Sendable {
    let x509: X509Box
    /// The certificate's RSA public key.
    public let publicKey: PublicKey
    public let notBefore: Date
    public let notAfter: Date

    /// Parses the first PEM `CERTIFICATE` in `pem` and checks the key type and size (not the
    /// dates: call ``validate(at:)`` before sealing, so expired keys can still be inspected).
    /// - Throws: `.invalidCertificate`, `.unsupportedKeyType`, `.keyTooSmall`.
    public init(pem: [UInt8]) throws(CryptoError) {
        OpenSSLErrorQueue.clear()
        let parsed = MemoryBIO.reading(pem) { bio in
            PEM_read_bio_X509(bio, nil, sealkit_refuse_password, nil)
        }
        guard let parsed = parsed ?? nil else {
            let reason = OpenSSLErrorQueue.drain()
            throw CryptoError(.invalidCertificate, "not a PEM certificate (\(reason))")
        }
        try self.init(X509Box(taking: parsed))
    }

    public init(pem: String) throws(CryptoError) {
        try self.init(pem: Array(pem.utf8))
    }

    init(_ box: X509Box) throws(CryptoError) {
        x509 = box
        guard let key = X509_get_pubkey(box.pointer) else {
            throw CryptoError(.invalidCertificate, "the certificate has no readable public key")
        }
        let evpKey = EVPKey(taking: key)
        guard evpKey.isRSA else {
            throw CryptoError(.unsupportedKeyType, "the certificate's public key is not RSA (SealedSecrets need RSA)")
        }
        guard evpKey.bits >= PrivateKey.minimumBits else {
            throw CryptoError(.keyTooSmall, "the certificate's RSA key has \(evpKey.bits) bits; at least \(PrivateKey.minimumBits) are required")
        }
        publicKey = PublicKey(evpKey)
        guard let start = Self.date(X509_get0_notBefore(box.pointer)),
              let end = Self.date(X509_get0_notAfter(box.pointer))
        else {
            throw CryptoError(.invalidCertificate, "the certificate's validity dates cannot be read")
        }
        notBefore = start
        notAfter = end
    }

    /// Refuses a certificate outside its validity window: sealing to an expired key would
    /// produce secrets a rotated-away controller may no longer hold.
    public func validate(at now: Date = Date()) throws(CryptoError) {
        if now > notAfter {
            throw CryptoError(.certificateExpired, "the certificate expired on \(Self.format(notAfter))")
        }
        if now < notBefore {
            throw CryptoError(.certificateNotYetValid, "the certificate is not valid before \(Self.format(notBefore))")
        }
    }

    /// PEM `CERTIFICATE`.
    public func pem() -> String {
        let bytes = MemoryBIO.writing { bio in PEM_write_bio_X509(bio, x509.pointer) == 1 } ?? []
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The subject's common name, or "" when the subject has none (Bitnami's default).
    public var commonName: String {
        guard let name = X509_get_subject_name(x509.pointer) else { return "" }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0,
              let entry = X509_NAME_get_entry(name, index),
              let data = X509_NAME_ENTRY_get_data(entry),
              let bytes = ASN1_STRING_get0_data(data)
        else { return "" }
        let length = Int(ASN1_STRING_length(data))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// The longest validity accepted: Go's longest `time.Duration`, so every lifetime we issue is
    /// one the reference controller's `--key-ttl` could have issued too.
    public static let maximumValiditySeconds: TimeInterval = 9_223_372_036.854_775

    /// Makes a self-signed certificate for `key`, shaped like the ones Bitnami's controller
    /// issues (CA, key usage "encipher only", SHA-256 signature, random 128-bit serial).
    /// - Parameters:
    ///   - commonName: subject CN; Bitnami's default is empty.
    ///   - validity: seconds from `notBefore`; Bitnami uses 10 years.
    public static func selfSigned(
        for key: PrivateKey,
        commonName: String = "",
        validity: TimeInterval = 10 * 365 * 24 * 3600,
        notBefore: Date = Date()
    ) throws(CryptoError) -> Certificate {
        func failure(_ what: String) -> CryptoError {
            CryptoError(.certificateGenerationFailed, "cannot \(what): \(OpenSSLErrorQueue.drain())")
        }
        guard validity > 0 else {
            throw CryptoError(.certificateGenerationFailed, "certificate validity must be positive")
        }
        // Bounded so the conversion to whole seconds below cannot trap (infinity, 1e300).
        guard validity <= Self.maximumValiditySeconds else {
            throw CryptoError(.certificateGenerationFailed, "certificate validity must be at most \(Int(Self.maximumValiditySeconds)) seconds")
        }
        OpenSSLErrorQueue.clear()
        guard let x509 = X509_new() else { throw failure("allocate a certificate") }
        let box = X509Box(taking: x509)
        guard X509_set_version(x509, 2) == 1 else { throw failure("set the certificate version") }

        let serialBytes = try SecureRandom.bytes(16)
        guard let serial = BN_bin2bn(serialBytes, Int32(serialBytes.count), nil) else { throw failure("make a serial number") }
        defer { BN_free(serial) }
        guard BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x509)) != nil else { throw failure("set the serial number") }

        var start = time_t(notBefore.timeIntervalSince1970.rounded(.down))
        guard X509_time_adj_ex(X509_getm_notBefore(x509), 0, 0, &start) != nil,
              X509_time_adj_ex(X509_getm_notAfter(x509), 0, Int(validity.rounded(.down)), &start) != nil
        else { throw failure("set the validity period") }

        guard let name = X509_get_subject_name(x509) else { throw failure("read the subject") }
        if !commonName.isEmpty {
            guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1 else {
                throw failure("set the common name")
            }
        }
        guard X509_set_issuer_name(x509, name) == 1, X509_set_pubkey(x509, key.key.pointer) == 1 else {
            throw failure("set issuer and public key")
        }

        var context = X509V3_CTX()
        sealkit_x509v3_set_ctx_nodb(&context)
        X509V3_set_ctx(&context, x509, x509, nil, nil, 0)
        for (nid, value) in [(NID_basic_constraints, "critical,CA:TRUE"),
                             (NID_key_usage, "critical,encipherOnly"),
                             (NID_subject_key_identifier, "hash")] {
            guard let extensionValue = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw failure("build a certificate extension")
            }
            defer { X509_EXTENSION_free(extensionValue) }
            guard X509_add_ext(x509, extensionValue, -1) == 1 else { throw failure("add a certificate extension") }
        }
        guard X509_sign(x509, key.key.pointer, EVP_sha256()) > 0 else { throw failure("sign the certificate") }
        return try Certificate(box)
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
