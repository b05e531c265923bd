public import SealKitCrypto

/// How to encrypt a file: the age recipients of the data key and which values stay in clear
/// (the same rules as sops's flags and `.sops.yaml` creation rules; at most one rule).
public struct SOPSEncryptionOptions: Sendable {
    public var recipients: [AgeRecipient]
    public var unencryptedSuffix: String?
    public var encryptedSuffix: String?
    public var unencryptedRegex: String?
    public var encryptedRegex: String?
    public var unencryptedCommentRegex: String?
    public var encryptedCommentRegex: String?
    public var macOnlyEncrypted = false

    public init(recipients: [AgeRecipient]) {
        self.recipients = recipients
    }
}

/// Writes SOPS files that the real `sops` decrypts: a fresh 32-byte data key encrypted to
/// each age recipient (armored, as sops stores it), every value AES-256-GCM-encrypted with
/// its path as additional data, and the MAC over the plaintext values, encrypted with
/// `lastmodified` as additional data.
public enum SOPSEncryptor {
    /// The SOPS format version written into the metadata (the sops release whose output this
    /// reproduces).
    public static let formatVersion = "3.11.0"

    /// Encrypts a plaintext file.
    /// - Parameters:
    ///   - lastModified: the RFC 3339 UTC time to record (`2006-01-02T15:04:05Z`).
    /// - Throws: ``SOPSError`` `.alreadyEncrypted`, `.malformed`, `.invalidArgument`.
    public static func encrypt(_ plaintext: SecretBytes, format: SOPSFormat, source: String,
                               options: SOPSEncryptionOptions, lastModified: String) throws(SOPSError) -> [UInt8] {
        let bytes = plaintext.copyBytes()
        let branches = try loadPlain(bytes, format: format, source: source)
        let dataKey: SecretBytes
        do { dataKey = SecretBytes(try SecureRandom.bytes(32)) } catch { throw SOPSError(.crypto, error.message) }
        return try encrypt(branches, format: format, source: source, options: options, dataKey: dataKey, lastModified: lastModified)
    }

    static func loadPlain(_ bytes: [UInt8], format: SOPSFormat, source: String) throws(SOPSError) -> [[SOPSItem]] {
        let branches: [[SOPSItem]]
        switch format {
        case .yaml: branches = try SOPSYAMLStore.load(bytes, source: source)
        case .json: branches = try SOPSJSONStore.load(bytes, source: source)
        case .dotenv: branches = try SOPSDotenvStore.load(bytes, source: source)
        case .ini: branches = try SOPSINIStore.load(bytes, source: source)
        case .binary: return SOPSBinaryStore.load(bytes)
        }
        let reserved: (String) -> Bool = switch format {
        case .dotenv: { $0.hasPrefix("sops_") }
        default: { $0 == "sops" }
        }
        if branches.contains(where: { $0.contains { $0.key.map(reserved) ?? false } }) {
            throw SOPSError(.alreadyEncrypted, "\(source): the file already has sops metadata (already encrypted?)")
        }
        return branches
    }

    /// Encrypts loaded branches under `dataKey` (also used by rotate and updatekeys).
    static func encrypt(_ branches: [[SOPSItem]], format: SOPSFormat, source: String, options: SOPSEncryptionOptions,
                        dataKey: SecretBytes, lastModified: String) throws(SOPSError) -> [UInt8] {
        guard !options.recipients.isEmpty else {
            throw SOPSError(.invalidArgument, "\(source): no age recipients (pass --age, or add a .sops.yaml creation rule with age keys)")
        }
        var options = options
        if format == .binary {
            // One value that must always be encrypted: sops ignores every rule (and adds no
            // default suffix) for the binary store.
            options = SOPSEncryptionOptions(recipients: options.recipients)
        }
        var metadata = try SOPSMetadata(rulesFrom: options, source: source, defaultSuffix: format != .binary)
        metadata.lastModified = lastModified
        let rules = try SOPSEncryptionRules(metadata, source: source)
        var walker = SOPSWalker(rules: rules, macOnlyEncrypted: options.macOnlyEncrypted) { (value, path, isEncrypted) throws(SOPSError) -> SOPSValue in
            guard isEncrypted else { return value }
            let aad = path.joined(separator: ":") + ":"
            // A string even for comments, as in sops: the mapping walk turns it back into a
            // comment line, while in a list it stays an item (`- ENC[…,type:comment]`).
            return .string(try SOPSValueCipher.encrypt(value, key: dataKey, path: aad))
        }
        var encrypted: [[SOPSItem]] = []
        for branch in branches { encrypted.append(try walker.walk(branch, digestAfter: false)) }
        metadata.mac = try SOPSValueCipher.encrypt(.string(walker.finishMAC()), key: dataKey, path: metadata.macAdditionalData)
        metadata.integrity = try SOPSIntegrity.record(branches, metadata: metadata, dataKey: dataKey)
        let group = try SOPSFile.group(options.recipients, dataKey: dataKey, source: source)
        metadata.keyGroups = [group]
        return try emitEncrypted(encrypted, metadata: metadata, format: format)
    }

    static func emitEncrypted(_ branches: [[SOPSItem]], metadata: SOPSMetadata, format: SOPSFormat) throws(SOPSError) -> [UInt8] {
        switch format {
        case .yaml:
            return SOPSYAMLStore.emit(branches.map { $0 + [.entry("sops", .mapping(metadata.tree()))] })
        case .json, .binary:
            var first = branches.first ?? []
            first.append(.entry("sops", .mapping(metadata.tree())))
            return SOPSJSONStore.emit([first])
        case .dotenv:
            var first = branches.first ?? []
            first += SOPSFlattening.flatten(metadata.flatTree()).map { .entry("sops_" + $0.0, $0.1) }
            return try SOPSDotenvStore.emit([first])
        case .ini:
            var first = branches.first ?? []
            let flat = SOPSFlattening.flatten(metadata.flatTree()).map { entry -> SOPSItem in
                if case .string(let text) = entry.1 { return .entry(entry.0, .string(text.replacingOccurrences(of: "\n", with: "\\n"))) }
                return .entry(entry.0, entry.1)
            }
            first.append(.entry("sops", .mapping(flat)))
            return try SOPSINIStore.emit([first])
        }
    }
}

extension SOPSMetadata {
    /// Metadata for a new file from encryption options (keys and MAC filled in later).
    init(rulesFrom options: SOPSEncryptionOptions, source: String, defaultSuffix: Bool = true) throws(SOPSError) {
        unencryptedSuffix = options.unencryptedSuffix
        encryptedSuffix = options.encryptedSuffix
        unencryptedRegex = options.unencryptedRegex
        encryptedRegex = options.encryptedRegex
        unencryptedCommentRegex = options.unencryptedCommentRegex
        encryptedCommentRegex = options.encryptedCommentRegex
        macOnlyEncrypted = options.macOnlyEncrypted
        version = SOPSEncryptor.formatVersion
        let rules = [unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex, unencryptedCommentRegex, encryptedCommentRegex]
            .compactMap { $0 }.count
        guard rules <= 1 else {
            throw SOPSError(.invalidArgument, "\(source): use only one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, unencrypted_comment_regex")
        }
        if rules == 0 && defaultSuffix { unencryptedSuffix = "_unencrypted" }
    }

    /// The metadata mapping in sops 3.11's struct order (YAML and JSON files).
    func tree() -> [SOPSItem] {
        var items: [SOPSItem] = []
        let ageList: (KeyGroup) -> SOPSValue = { group in
            .sequence(group.age.map { .mapping([.entry("recipient", .string($0.recipient)), .entry("enc", .string($0.encryptedKey))]) })
        }
        if keyGroups.count == 1 {
            items.append(.entry("age", ageList(keyGroups[0])))
        } else {
            items.append(.entry("key_groups", .sequence(keyGroups.map { .mapping([.entry("hc_vault", .null), .entry("age", ageList($0))]) })))
        }
        items.append(.entry("lastmodified", .string(lastModified)))
        items.append(.entry("mac", .string(mac)))
        for (key, value) in [("unencrypted_suffix", unencryptedSuffix), ("encrypted_suffix", encryptedSuffix),
                             ("unencrypted_regex", unencryptedRegex), ("encrypted_regex", encryptedRegex),
                             ("unencrypted_comment_regex", unencryptedCommentRegex), ("encrypted_comment_regex", encryptedCommentRegex)] {
            if let value { items.append(.entry(key, .string(value))) }
        }
        if macOnlyEncrypted { items.append(.entry("mac_only_encrypted", .bool(true))) }
        items.append(.entry("version", .string(version)))
        if let integrity { items.append(.entry(SOPSIntegrity.metadataKey, .string(integrity))) }
        return items
    }

    /// The metadata as the flat formats store it before flattening: keys sorted, as Go's
    /// map iteration through `goToSops` leaves them.
    func flatTree() -> [SOPSItem] {
        func sorted(_ items: [SOPSItem]) -> [SOPSItem] {
            items.map { item -> SOPSItem in
                guard case .entry(let key, let value) = item else { return item }
                switch value {
                case .mapping(let children): return .entry(key, .mapping(sorted(children)))
                case .sequence(let values): return .entry(key, .sequence(values.map { if case .mapping(let c) = $0 { .mapping(sorted(c)) } else { $0 } }))
                default: return item
                }
            }.sorted { ($0.key ?? "") < ($1.key ?? "") }
        }
        return sorted(tree())
    }
}

extension SOPSFlattening {
    /// `flattenTreeBranch`: nested keys joined with `__map_`, list positions with `__list_`.
    static func flatten(_ items: [SOPSItem]) -> [(String, SOPSValue)] {
        var result: [(String, SOPSValue)] = []
        func visit(_ value: SOPSValue, _ path: String) {
            switch value {
            case .mapping(let children):
                for child in children { if case .entry(let key, let value) = child { visit(value, path + "__map_" + key) } }
            case .sequence(let values):
                for (index, value) in values.enumerated() { visit(value, path + "__list_" + String(index)) }
            default:
                result.append((path, value))
            }
        }
        for item in items { if case .entry(let key, let value) = item { visit(value, key) } }
        return result
    }
}
