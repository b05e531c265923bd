internal import COpenSSL

/// Randomness from OpenSSL's CSPRNG.
package enum SecureRandom {
    package static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw CryptoError(.randomnessUnavailable, "the system random generator failed: \(OpenSSLErrorQueue.drain())")
        }
        return bytes
    }
}
