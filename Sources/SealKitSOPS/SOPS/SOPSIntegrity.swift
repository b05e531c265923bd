public import SealKitCrypto

/// SealKit's structure integrity record. SOPS's MAC covers the values only, in order: a key
/// renamed when its value is in clear, a null or empty value added or removed, a `3` turned
/// into `"3"`, an empty mapping made a list — none of that changes it. The record is a
/// SHA-512 over a canonical encoding of the whole plaintext tree (document count, every key,
/// its position, every value with its type; comments excluded), encrypted with the data key
/// under `sealkit_integrity` in the `sops` metadata. Real sops ignores unknown metadata keys,
/// so files with the record still decrypt with sops (`SOPSIntegrityTests` proves it); sops
/// drops the record when it rewrites a file, which `--strict` then reports.
enum SOPSIntegrity {
    static let metadataKey = "sealkit_integrity"
    /// Additional data binding the record to its purpose and to the file's `lastmodified`.
    static func additionalData(_ metadata: SOPSMetadata) -> [UInt8] {
        Array("sealkit_integrity:\(metadata.macAdditionalData)".utf8)
    }

    /// The digest (hex) of the plaintext branches.
    static func digest(_ branches: [[SOPSItem]]) -> String {
        let digest = StreamingDigest()
        func field(_ tag: UInt8, _ bytes: [UInt8]) {
            var length = UInt64(bytes.count).bigEndian
            digest.update([tag])
            withUnsafeBytes(of: &length) { digest.update($0) }
            digest.update(bytes)
        }
        func value(_ node: SOPSValue) {
            switch node {
            case .string(let text): field(UInt8(ascii: "s"), Array(text.utf8))
            case .binary(let bytes): field(UInt8(ascii: "s"), bytes)
            case .int(let number): field(UInt8(ascii: "i"), Array(String(number).utf8))
            case .float(let number): field(UInt8(ascii: "f"), Array(GoFormatting.formatF(number).utf8))
            case .bool(let flag): field(UInt8(ascii: "b"), [flag ? 1 : 0])
            case .null: field(UInt8(ascii: "n"), [])
            case .time(let text): field(UInt8(ascii: "t"), Array(text.utf8))
            case .comment: break
            case .mapping(let items): mapping(items)
            case .sequence(let items):
                let values = items.filter { if case .comment = $0 { false } else { true } }
                field(UInt8(ascii: "L"), Array(String(values.count).utf8))
                values.forEach(value)
            }
        }
        func mapping(_ items: [SOPSItem]) {
            let entries = items.compactMap { item -> (String, SOPSValue)? in
                if case .entry(let key, let value) = item { return (key, value) }
                return nil
            }
            field(UInt8(ascii: "M"), Array(String(entries.count).utf8))
            for (key, child) in entries {
                field(UInt8(ascii: "k"), Array(key.utf8))
                value(child)
            }
        }
        field(UInt8(ascii: "D"), Array(String(branches.count).utf8))
        branches.forEach(mapping)
        return digest.finish().map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The encrypted record for `branches` (plaintext) under `dataKey`.
    static func record(_ branches: [[SOPSItem]], metadata: SOPSMetadata, dataKey: SecretBytes) throws(SOPSError) -> String {
        try SOPSValueCipher.encrypt(.string(digest(branches)), key: dataKey, path: String(decoding: additionalData(metadata), as: UTF8.self))
    }

    /// Whether a file's record matches its decrypted branches; nil when the file has none.
    static func verify(_ branches: [[SOPSItem]], metadata: SOPSMetadata, dataKey: SecretBytes) -> Bool? {
        guard let record = metadata.integrity else { return nil }
        guard case .string(let stored)? = SOPSValueCipher.decrypt(record, key: dataKey, path: String(decoding: additionalData(metadata), as: UTF8.self))
        else { return false }
        let computed = digest(branches)
        return stored.utf8.count == computed.utf8.count && HMAC.equal(Array(stored.utf8), Array(computed.utf8))
    }
}
