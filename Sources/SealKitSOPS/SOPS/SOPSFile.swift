public import SealKitCrypto
internal import SecretTemplate
internal import SealKitYAML

/// An encrypted SOPS file: its branches (documents) as stored — values still `ENC[…]` — and
/// its metadata. Reads files written by `sops` ≥ 3.8 in YAML, JSON, dotenv, INI and binary.
public struct SOPSFile: Sendable {
    public let format: SOPSFormat
    let source: String
    var branches: [[SOPSItem]]
    let metadata: SOPSMetadata

    /// Parses `bytes` (an encrypted file) as `format`.
    /// - Throws: ``SOPSError`` `.malformed` for unreadable input, `.notEncrypted` when there
    ///   is no `sops` metadata.
    public init(_ bytes: [UInt8], format: SOPSFormat, source: String) throws(SOPSError) {
        self.format = format
        self.source = source
        switch format {
        case .yaml, .json, .binary:
            var loaded = format == .yaml ? try SOPSYAMLStore.load(bytes, source: source) : try SOPSJSONStore.load(bytes, source: source)
            var tree: [SOPSItem]?
            for index in loaded.indices {
                if index == 0 { tree = loaded[0][sopsKey: "sops"].flatMap { if case .mapping(let items) = $0 { items } else { nil } } }
                loaded[index].removeAll { $0.key == "sops" }
            }
            guard let tree else { throw SOPSError(.notEncrypted, "\(source): sops metadata not found (not a SOPS-encrypted \(format.rawValue) file)") }
            metadata = try SOPSMetadata(tree, source: source)
            branches = loaded
        case .dotenv, .ini:
            var loaded = format == .dotenv ? try SOPSDotenvStore.load(bytes, source: source) : try SOPSINIStore.load(bytes, source: source)
            var flat: [(String, SOPSValue)] = []
            if format == .dotenv {
                loaded[0].removeAll { item in
                    guard let key = item.key, key.hasPrefix("sops_"), let value = item.value else { return false }
                    flat.append((String(key.dropFirst(5)), value))
                    return true
                }
            } else {
                loaded[0].removeAll { item in
                    guard item.key == "sops", case .mapping(let entries)? = item.value else { return false }
                    for entry in entries {
                        if case .entry(let key, let value) = entry {
                            // INI escapes newlines in metadata a second time.
                            if case .string(let text) = value { flat.append((key, .string(text.replacingOccurrences(of: "\\n", with: "\n")))) } else {
                                flat.append((key, value))
                            }
                        }
                    }
                    return true
                }
            }
            guard !flat.isEmpty else { throw SOPSError(.notEncrypted, "\(source): sops metadata not found (not a SOPS-encrypted \(format.rawValue) file)") }
            metadata = try SOPSMetadata(SOPSFlattening.unflatten(flat), source: source)
            branches = loaded
        }
    }

    /// Every age recipient the data key is encrypted to.
    public var ageRecipients: [String] { metadata.keyGroups.flatMap { $0.age.map(\.recipient) } }

    // MARK: Data key

    /// Recovers the 32-byte data key with the first identity that opens an age entry.
    func dataKey(with identities: [AgeIdentity], identitySources: String) throws(SOPSError) -> SecretBytes {
        guard metadata.keyGroups.count == 1 else {
            throw SOPSError(.unsupported, "\(source): the data key is split across \(metadata.keyGroups.count) key groups (Shamir); SealKit reads single-group files only")
        }
        let group = metadata.keyGroups[0]
        guard !group.age.isEmpty else {
            throw SOPSError(.noDataKey, "\(source): no age recipient holds the data key, only \(group.others.joined(separator: ", ")); SealKit decrypts SOPS files encrypted to age")
        }
        guard !identities.isEmpty else {
            throw SOPSError(.noDataKey, "\(source): no age identity found (\(identitySources)); the file is encrypted to \(group.age.map(\.recipient).joined(separator: ", "))")
        }
        for entry in group.age {
            // Only identities whose recipient is listed can open the entry; try those first, then all.
            let matching = identities.filter { $0.recipient.description == entry.recipient }
            for candidates in [matching, identities] where !candidates.isEmpty {
                if let key = try? Age.decrypt(Array(entry.encryptedKey.utf8), with: Age.Identities(candidates)) {
                    guard key.count == 32 else {
                        throw SOPSError(.noDataKey, "\(source): the age entry for \(entry.recipient) holds a \(key.count)-byte key, not 32")
                    }
                    return key
                }
            }
        }
        throw SOPSError(.noDataKey, "\(source): none of the \(identities.count) age identities (\(identitySources)) opens the data key; the file is encrypted to \(group.age.map(\.recipient).joined(separator: ", "))")
    }

    // MARK: Decryption

    /// Decrypts every value and checks the MAC. Nothing is returned unless every value
    /// authenticates and the MAC over them matches.
    /// - Throws: ``SOPSError`` `.noDataKey`, `.valueDecryption` (names the key path),
    ///   `.macMismatch`, `.unsupported`.
    /// - Parameter strict: refuse a file without SealKit's structure integrity record.
    public func decrypt(with identities: [AgeIdentity], identitySources: String = "no identity sources",
                        strict: Bool = false) throws(SOPSError) -> SOPSPlaintext {
        let key = try dataKey(with: identities, identitySources: identitySources)
        let rules = try SOPSEncryptionRules(metadata, source: source)
        var walker = SOPSWalker(rules: rules, macOnlyEncrypted: metadata.macOnlyEncrypted) { (value, path, isEncrypted) throws(SOPSError) -> SOPSValue in
            guard isEncrypted else { return value }
            let aad = path.joined(separator: ":") + ":"
            switch value {
            case .comment(let text, let inline):
                // A comment that does not decrypt was never encrypted (older SOPS): kept as is.
                if case .comment(let plain, _)? = SOPSValueCipher.decrypt(text, key: key, path: aad) { return .comment(plain, inline: inline) }
                return value
            case .string(let text):
                guard let plain = SOPSValueCipher.decrypt(text, key: key, path: aad) else {
                    throw SOPSError(.valueDecryption, "\(source): value at \(Self.describe(path)) does not decrypt (altered, or moved from another key)")
                }
                return plain
            default:
                throw SOPSError(.valueDecryption, "\(source): value at \(Self.describe(path)) should be encrypted but is a plain \(value.kindName)")
            }
        }
        var decrypted: [[SOPSItem]] = []
        for branch in branches { decrypted.append(try walker.walk(branch, digestAfter: true)) }
        let computed = walker.finishMAC()
        guard case .string(let storedMAC)? = SOPSValueCipher.decrypt(metadata.mac, key: key, path: metadata.macAdditionalData) else {
            throw SOPSError(.macMismatch, "\(source): the MAC in the sops metadata does not decrypt (metadata altered)")
        }
        guard storedMAC.utf8.count == computed.utf8.count, HMAC.equal(Array(storedMAC.utf8), Array(computed.utf8)) else {
            throw SOPSError(.macMismatch, "\(source): MAC mismatch: the file's values were altered, added or removed since SOPS wrote it")
        }
        switch SOPSIntegrity.verify(decrypted, metadata: metadata, dataKey: key) {
        case false?:
            throw SOPSError(.integrity, "\(source): structure integrity check failed: keys, their order, types or null values changed since SealKit wrote the file (SOPS's MAC does not cover them)")
        case nil where strict:
            throw SOPSError(.integrity, "\(source): no SealKit integrity record (written by sops, or rewritten since); --strict refuses it")
        default:
            break
        }
        return SOPSPlaintext(format: format, branches: decrypted, source: source)
    }

    /// Whether the file carries SealKit's structure integrity record.
    public var hasIntegrityRecord: Bool { metadata.integrity != nil }

    static func describe(_ path: [String]) -> String {
        path.isEmpty ? "the top level" : path.map { "[\"\($0)\"]" }.joined()
    }
}

/// Which values SOPS encrypts (sops.go `shouldBeEncrypted`): `unencrypted_suffix` (default
/// `_unencrypted`), `encrypted_suffix`, `unencrypted_regex`, `encrypted_regex` on any key in
/// the path, and the comment regexes on the comments above a value.
struct SOPSEncryptionRules {
    var unencryptedSuffix: String?
    var encryptedSuffix: String?
    var unencryptedRegex: RE2Pattern?
    var encryptedRegex: RE2Pattern?
    var unencryptedCommentRegex: RE2Pattern?
    var encryptedCommentRegex: RE2Pattern?

    init(_ metadata: SOPSMetadata, source: String) throws(SOPSError) {
        unencryptedSuffix = metadata.unencryptedSuffix
        encryptedSuffix = metadata.encryptedSuffix
        func compile(_ pattern: String?, _ name: String) throws(SOPSError) -> RE2Pattern? {
            guard let pattern else { return nil }
            do { return try RE2Pattern(pattern) } catch { throw SOPSError(.malformed, "\(source): \(name): \(error.message)") }
        }
        unencryptedRegex = try compile(metadata.unencryptedRegex, "unencrypted_regex")
        encryptedRegex = try compile(metadata.encryptedRegex, "encrypted_regex")
        unencryptedCommentRegex = try compile(metadata.unencryptedCommentRegex, "unencrypted_comment_regex")
        encryptedCommentRegex = try compile(metadata.encryptedCommentRegex, "encrypted_comment_regex")
    }

    func shouldEncrypt(_ path: [String], comments: [[String]], isComment: Bool) -> Bool {
        var encrypted = true
        if let suffix = unencryptedSuffix, path.contains(where: { $0.hasSuffix(suffix) }) { encrypted = false }
        if let suffix = encryptedSuffix { encrypted = path.contains { $0.hasSuffix(suffix) } }
        if let regex = unencryptedRegex, path.contains(where: regex.matches) { encrypted = false }
        if let regex = encryptedRegex { encrypted = path.contains(where: regex.matches) }
        if let regex = unencryptedCommentRegex, comments.contains(where: { $0.contains(where: regex.matches) }) { encrypted = false }
        if let regex = encryptedCommentRegex {
            encrypted = false
            outer: for (i, level) in comments.enumerated() {
                for (j, comment) in level.enumerated() {
                    // The comment line that matches is itself left in clear.
                    if isComment, i == comments.count - 1, j == level.count - 1 { continue }
                    if regex.matches(comment) { encrypted = true; break outer }
                }
            }
        }
        return encrypted
    }
}

/// The tree walk of sops.go (`walkBranch`/`walkSlice`) with the MAC: every leaf goes through
/// `transform` with its key path and whether the rules encrypt it; the MAC is SHA-512 over
/// the plaintext leaves (comments and nulls excluded), in walk order.
struct SOPSWalker {
    typealias Transform = (SOPSValue, [String], Bool) throws(SOPSError) -> SOPSValue
    static let macOnlyEncryptedInitialization: [UInt8] = [
        0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
        0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
    ]

    let rules: SOPSEncryptionRules
    let macOnlyEncrypted: Bool
    let transform: Transform
    private let digest = StreamingDigest()

    init(rules: SOPSEncryptionRules, macOnlyEncrypted: Bool, transform: @escaping Transform) {
        self.rules = rules
        self.macOnlyEncrypted = macOnlyEncrypted
        self.transform = transform
        if macOnlyEncrypted { digest.update(Self.macOnlyEncryptedInitialization) }
    }

    /// - Parameter digestAfter: hash the transformed leaf (decryption: the plaintext) rather
    ///   than the input (encryption: also the plaintext).
    mutating func walk(_ branch: [SOPSItem], digestAfter: Bool) throws(SOPSError) -> [SOPSItem] {
        var stack: [[String]] = []
        return try walkBranch(branch, path: [], stack: &stack, digestAfter: digestAfter)
    }

    func finishMAC() -> String {
        digest.finish().map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    private mutating func leaf(_ value: SOPSValue, path: [String], stack: [[String]], digestAfter: Bool) throws(SOPSError) -> SOPSValue {
        let isComment: Bool
        if case .comment = value { isComment = true } else { isComment = false }
        let encrypted = rules.shouldEncrypt(path, comments: stack, isComment: isComment)
        let result = try transform(value, path, encrypted)
        if !macOnlyEncrypted || encrypted {
            // SOPS 3.11: a leaf whose (decrypted) value is a comment is not part of the MAC.
            let hashed = digestAfter ? result : value
            if case .comment = hashed {} else if let bytes = hashed.macBytes { digest.update(bytes) }
        }
        return result
    }

    private mutating func walkValue(_ value: SOPSValue, path: [String], stack: inout [[String]], digestAfter: Bool) throws(SOPSError) -> SOPSValue {
        switch value {
        case .mapping(let items):
            return .mapping(try walkBranch(items, path: path, stack: &stack, digestAfter: digestAfter))
        case .sequence(let items):
            stack.append([])
            defer { stack.removeLast() }
            var result: [SOPSValue] = []
            for item in items {
                if case .comment(let text, _) = item { stack[stack.count - 1].append(text) }
                result.append(try walkValue(item, path: path, stack: &stack, digestAfter: digestAfter))
                if case .comment = item {} else { stack[stack.count - 1] = [] }
            }
            return .sequence(result)
        case .null:
            return .null
        default:
            return try leaf(value, path: path, stack: stack, digestAfter: digestAfter)
        }
    }

    private mutating func walkBranch(_ items: [SOPSItem], path: [String], stack: inout [[String]], digestAfter: Bool) throws(SOPSError) -> [SOPSItem] {
        stack.append([])
        defer { stack.removeLast() }
        var result: [SOPSItem] = []
        for item in items {
            switch item {
            case .comment(let text, let inline):
                stack[stack.count - 1].append(text)
                let transformed = try leaf(.comment(text, inline: inline), path: path, stack: stack, digestAfter: digestAfter)
                switch transformed {
                case .comment(let value, _): result.append(.comment(value, inline: inline))
                case .string(let value): result.append(.comment(value, inline: inline))
                default: result.append(item)
                }
            case .entry(let key, let value):
                result.append(.entry(key, try walkValue(value, path: path + [key], stack: &stack, digestAfter: digestAfter)))
                stack[stack.count - 1] = []
            }
        }
        return result
    }
}

extension SOPSValue {
    var kindName: String {
        switch self {
        case .string: "string"
        case .int: "integer"
        case .float: "number"
        case .bool: "boolean"
        case .null: "null"
        case .time: "timestamp"
        case .binary: "byte string"
        case .comment: "comment"
        case .mapping: "mapping"
        case .sequence: "list"
        }
    }
}

extension SOPSFile {
    /// The format of `bytes` when they are a SOPS-encrypted YAML or JSON file (a top-level
    /// `sops` mapping with a `mac`), nil otherwise: how the sealing command and
    /// `reseal --from-sops` recognise SOPS input without being told.
    public static func encryptedFormat(of bytes: [UInt8]) -> SOPSFormat? {
        guard let documents = try? YAMLReader.manifests(bytes) else { return nil }
        let encrypted = documents.contains { document in
            guard let metadata = document.root.mapping?["sops"]?.mapping else { return false }
            return metadata["mac"] != nil && metadata["lastmodified"] != nil
        }
        guard encrypted else { return nil }
        return JSONStream.looksLikeJSON(bytes) ? .json : .yaml
    }
}
