public import SealKitCrypto

/// SOPS's value encryption (aes/cipher.go): AES-256-GCM under the file's data key, a random
/// 32-byte nonce per value, the value's key path (`a:b:c:`) as additional data so a value
/// cannot be moved to another key, written as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`.
enum SOPSValueCipher {
    struct Parsed {
        var data: [UInt8]
        var iv: [UInt8]
        var tag: [UInt8]
        var type: String
    }

    static func parse(_ text: String) -> Parsed? {
        guard text.hasPrefix("ENC[AES256_GCM,data:"), let close = text.lastIndex(of: "]") else { return nil }
        let body = text[text.index(text.startIndex, offsetBy: 15)..<close]
        var fields: [String: Substring] = [:]
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = part.firstIndex(of: ":") else { return nil }
            fields[String(part[..<colon])] = part[part.index(after: colon)...]
        }
        guard let data = fields["data"], let iv = fields["iv"], let tag = fields["tag"], let type = fields["type"], !type.isEmpty,
              let dataBytes = try? Base64.decode(String(data)), let ivBytes = try? Base64.decode(String(iv)),
              let tagBytes = try? Base64.decode(String(tag)), !ivBytes.isEmpty, tagBytes.count == AEAD.tagLength
        else { return nil }
        return Parsed(data: dataBytes, iv: ivBytes, tag: tagBytes, type: String(type))
    }

    /// Decrypts one value; nil when it is not SOPS ciphertext or does not authenticate.
    static func decrypt(_ text: String, key: SecretBytes, path: String) -> SOPSValue? {
        if text.isEmpty { return .string("") }
        guard let parsed = parse(text),
              let plain = AEAD.aes256GCM.open(parsed.data + parsed.tag, key: key, nonce: parsed.iv, aad: Array(path.utf8))
        else { return nil }
        let bytes = plain.copyBytes()
        let string = String(decoding: bytes, as: UTF8.self)
        switch parsed.type {
        case "str": return .text(bytes)
        case "int":
            // strconv.Atoi: optional sign and decimal digits.
            guard let number = Int(string) else { return nil }
            return .int(number)
        case "float":
            guard let number = Double(string) else { return nil }
            return .float(number)
        case "bool":
            switch string {
            case "1", "t", "T", "TRUE", "true", "True": return .bool(true)
            case "0", "f", "F", "FALSE", "false", "False": return .bool(false)
            default: return nil
            }
        case "bytes": return .binary(bytes)
        case "time": return .time(string)
        case "comment": return .comment(string, inline: false)
        default: return nil
        }
    }

    /// Encrypts one value with a fresh random nonce. Empty strings stay empty, as in SOPS.
    static func encrypt(_ value: SOPSValue, key: SecretBytes, path: String) throws(SOPSError) -> String {
        let type: String
        let plain: [UInt8]
        switch value {
        case .string(let text): type = "str"; plain = Array(text.utf8)
        case .binary(let bytes): type = "str"; plain = bytes
        case .int(let number): type = "int"; plain = Array(String(number).utf8)
        case .float(let number): type = "float"; plain = Array(GoFormatting.formatF(number).utf8)
        case .bool(let flag): type = "bool"; plain = Array((flag ? "True" : "False").utf8)
        case .time(let text): type = "time"; plain = Array(text.utf8)
        case .comment(let text, _): type = "comment"; plain = Array(text.utf8)
        case .null, .mapping, .sequence: throw SOPSError(.invalidArgument, "cannot encrypt a \(value) value")
        }
        if plain.isEmpty && (type == "str" || type == "comment") { return "" }
        do {
            let nonce = try SecureRandom.bytes(32)
            let sealed = try AEAD.aes256GCM.seal(plain, key: key, nonce: nonce, aad: Array(path.utf8))
            return "ENC[AES256_GCM,data:\(Base64.encode(sealed.dropLast(AEAD.tagLength))),iv:\(Base64.encode(nonce)),tag:\(Base64.encode(sealed.suffix(AEAD.tagLength))),type:\(type)]"
        } catch {
            throw SOPSError(.crypto, "cannot encrypt a value: \(error.message)")
        }
    }
}
