internal import COpenSSL

/// X25519 (RFC 7748) key agreement on OpenSSL's `EVP_PKEY` "X25519": age's recipient type.
///
/// Keys cross this boundary as raw 32-byte strings (what bech32 encodes); the private half
/// stays in ``SecretBytes`` or inside the OpenSSL key object.
package enum X25519 {
    package static let keyLength = 32

    /// A private key. `@unchecked Sendable` through ``EVPKey``: the key object is never mutated.
    package struct PrivateKey: Sendable {
        private let key: EVPKey

        /// A fresh key from OpenSSL's CSPRNG.
        package init() throws(CryptoError) {
            OpenSSLErrorQueue.clear()
            guard let context = EVP_PKEY_CTX_new_from_name(nil, "X25519", nil) else {
                throw CryptoError(.keyGenerationFailed, "cannot create an X25519 context: \(OpenSSLErrorQueue.drain())")
            }
            defer { EVP_PKEY_CTX_free(context) }
            var key: OpaquePointer? = nil
            guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_generate(context, &key) == 1, let key else {
                throw CryptoError(.keyGenerationFailed, "X25519 key generation failed: \(OpenSSLErrorQueue.drain())")
            }
            self.key = EVPKey(taking: key)
        }

        /// The key whose raw scalar is `raw` (32 bytes; clamping happens inside X25519).
        package init(raw: SecretBytes) throws(CryptoError) {
            guard raw.count == X25519.keyLength else {
                throw CryptoError(.invalidPrivateKey, "an X25519 private key is 32 bytes, not \(raw.count)")
            }
            OpenSSLErrorQueue.clear()
            let pointer = raw.withUnsafeBytes { bytes in
                EVP_PKEY_new_raw_private_key_ex(nil, "X25519", nil, bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count)
            }
            guard let pointer else {
                throw CryptoError(.invalidPrivateKey, "invalid X25519 private key: \(OpenSSLErrorQueue.drain())")
            }
            key = EVPKey(taking: pointer)
        }

        /// The raw 32-byte scalar, for writing an identity file.
        package var raw: SecretBytes {
            var length = X25519.keyLength
            var bytes = [UInt8](repeating: 0, count: length)
            let ok = EVP_PKEY_get_raw_private_key(key.pointer, &bytes, &length)
            precondition(ok == 1 && length == X25519.keyLength, "OpenSSL cannot export an X25519 private key")
            return SecretBytes(bytes)
        }

        /// The raw 32-byte public key (the point u-coordinate).
        package var publicKey: [UInt8] {
            var length = X25519.keyLength
            var bytes = [UInt8](repeating: 0, count: length)
            let ok = EVP_PKEY_get_raw_public_key(key.pointer, &bytes, &length)
            precondition(ok == 1 && length == X25519.keyLength, "OpenSSL cannot export an X25519 public key")
            return bytes
        }

        /// X25519(self, peer). Refuses the all-zero output a low-order or identity share gives
        /// (RFC 7748 §6.1; age requires the check), so a peer cannot force a known secret.
        package func sharedSecret(with peer: [UInt8]) throws(CryptoError) -> SecretBytes {
            guard peer.count == X25519.keyLength else {
                throw CryptoError(.keyAgreementFailed, "an X25519 public key is 32 bytes, not \(peer.count)")
            }
            OpenSSLErrorQueue.clear()
            guard let peerPointer = EVP_PKEY_new_raw_public_key_ex(nil, "X25519", nil, peer, peer.count) else {
                throw CryptoError(.keyAgreementFailed, "invalid X25519 public key: \(OpenSSLErrorQueue.drain())")
            }
            let peerKey = EVPKey(taking: peerPointer)
            guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else {
                throw CryptoError(.keyAgreementFailed, "cannot create an X25519 context: \(OpenSSLErrorQueue.drain())")
            }
            defer { EVP_PKEY_CTX_free(context) }
            var length = X25519.keyLength
            var secret = [UInt8](repeating: 0, count: length)
            // OpenSSL's X25519 derive itself fails on an all-zero result; the check below keeps
            // the property independent of that.
            guard EVP_PKEY_derive_init(context) == 1, EVP_PKEY_derive_set_peer(context, peerKey.pointer) == 1,
                  EVP_PKEY_derive(context, &secret, &length) == 1, length == X25519.keyLength
            else {
                secret.withUnsafeMutableBytes { SecureWipe.wipe($0) }
                OpenSSLErrorQueue.clear()
                throw CryptoError(.keyAgreementFailed, "X25519 key agreement failed (a low-order or invalid share)")
            }
            let secretBytes = SecretBytes(secret)
            if secretBytes == SecretBytes([UInt8](repeating: 0, count: X25519.keyLength)) {
                throw CryptoError(.keyAgreementFailed, "X25519 shared secret is all zero (a low-order share)")
            }
            return secretBytes
        }
    }
}
