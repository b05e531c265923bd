public import SealKitCrypto

/// The age payload encryption (C2SP age spec, "Payload"): STREAM over ChaCha20-Poly1305 in
/// 64 KiB chunks. Each chunk's nonce is an 11-byte big-endian counter and a last-chunk flag,
/// so chunks cannot be reordered, dropped or cut off without the final tag failing.
enum AgeStream {
    static let chunkSize = 64 * 1024
    static let sealedChunkSize = chunkSize + AEAD.tagLength

    private static func nonce(_ counter: UInt64, last: Bool) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { nonce[10 - index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * index)) }
        nonce[11] = last ? 1 : 0
        return nonce
    }

    /// Encrypts `plaintext`: full chunks, then a final chunk (short, empty only when the
    /// whole plaintext is empty, or full when the length is a multiple of 64 KiB).
    static func seal(_ plaintext: UnsafeRawBufferPointer, key: SecretBytes) throws(AgeError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(plaintext.count + (plaintext.count / chunkSize + 1) * AEAD.tagLength)
        var offset = 0
        var counter: UInt64 = 0
        repeat {
            let length = min(chunkSize, plaintext.count - offset)
            let last = offset + length == plaintext.count
            let chunk = UnsafeRawBufferPointer(rebasing: plaintext[offset..<(offset + length)])
            do {
                output += try AEAD.chaCha20Poly1305.seal(chunk, key: key, nonce: nonce(counter, last: last))
            } catch {
                throw AgeError(.crypto, "age payload encryption failed: \(error.message)")
            }
            offset += length
            counter += 1
            if last { break }
        } while true
        return output
    }

    /// Decrypts a whole STREAM payload, handing each authenticated chunk to `release` in order.
    /// A failure after some chunks means those chunks were genuine but the file is truncated
    /// or altered: callers that must not emit partial output buffer and discard.
    static func open(_ payload: UnsafeRawBufferPointer, key: SecretBytes,
                     release: (SecretBytes) -> Void) throws(AgeError) {
        guard !payload.isEmpty else { throw AgeError(.payload, "age payload is empty (no final chunk)") }
        var offset = 0
        var counter: UInt64 = 0
        while true {
            let remaining = payload.count - offset
            guard remaining > 0 else { throw AgeError(.payload, "age payload is truncated (no final chunk)") }
            let length = min(remaining, sealedChunkSize)
            guard length > AEAD.tagLength || (length == AEAD.tagLength && counter == 0) else {
                throw AgeError(.payload, "age payload chunk \(counter + 1) is too short")
            }
            let chunk = UnsafeRawBufferPointer(rebasing: payload[offset..<(offset + length)])
            if length < sealedChunkSize {
                guard let plain = AEAD.chaCha20Poly1305.open(chunk, key: key, nonce: nonce(counter, last: true)) else {
                    throw AgeError(.payload, "age payload chunk \(counter + 1) does not authenticate (altered or truncated)")
                }
                if plain.isEmpty && counter > 0 {
                    throw AgeError(.payload, "age payload ends with an empty chunk")
                }
                release(plain)
                return
            }
            if let plain = AEAD.chaCha20Poly1305.open(chunk, key: key, nonce: nonce(counter, last: false)) {
                release(plain)
                offset += length
                counter += 1
                continue
            }
            // A full-size chunk may be the final one.
            guard let plain = AEAD.chaCha20Poly1305.open(chunk, key: key, nonce: nonce(counter, last: true)) else {
                throw AgeError(.payload, "age payload chunk \(counter + 1) does not authenticate (altered or truncated)")
            }
            release(plain)
            guard offset + length == payload.count else {
                throw AgeError(.payload, "age payload has data after its final chunk")
            }
            return
        }
    }
}
