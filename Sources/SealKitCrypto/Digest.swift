internal import COpenSSL

/// Message digests from OpenSSL, for fingerprints and template functions (never hand-rolled).
public enum Digest {
    public static func sha256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, EVP_sha256(), length: 32)
    }

    public static func sha512(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, EVP_sha512(), length: 64)
    }

    public static func sha1(_ bytes: some Collection<UInt8>) -> [UInt8] {
        digest(bytes, EVP_sha1(), length: 20)
    }

    private static func digest(_ bytes: some Collection<UInt8>, _ type: OpaquePointer?, length: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var written: UInt32 = 0
        let input = Array(bytes)
        let ok = input.withUnsafeBytes { raw in
            EVP_Digest(raw.baseAddress, raw.count, &output, &written, type, nil)
        }
        precondition(ok == 1 && Int(written) == length, "OpenSSL digest failed")
        return Array(output.prefix(length))
    }
}
