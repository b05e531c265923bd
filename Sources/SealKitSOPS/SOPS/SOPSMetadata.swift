/// The `sops` metadata of an encrypted file (stores/stores.go `metadata`): who holds the data
/// key, when the file was last written, the encrypted MAC, and which keys are left in clear.
struct SOPSMetadata: Equatable {
    struct AgeKey: Equatable {
        var recipient: String
        var encryptedKey: String
    }

    /// One key group: its age keys, and a description of every other kind of master key in it
    /// (KMS, PGP, Vault, …), which SealKit cannot use but names in errors.
    struct KeyGroup: Equatable {
        var age: [AgeKey] = []
        var others: [String] = []
    }

    var keyGroups: [KeyGroup] = []
    var shamirThreshold = 0
    var lastModified = ""
    var mac = ""
    var unencryptedSuffix: String?
    var encryptedSuffix: String?
    var unencryptedRegex: String?
    var encryptedRegex: String?
    var unencryptedCommentRegex: String?
    var encryptedCommentRegex: String?
    var macOnlyEncrypted = false
    var version = ""
    /// SealKit's structure integrity record (``SOPSIntegrity``), when the file has one.
    var integrity: String?

    /// The other master-key kinds, with the field naming each key, as SOPS spells them.
    static let otherKinds: [(field: String, name: String, id: String)] = [
        ("kms", "AWS KMS", "arn"), ("gcp_kms", "GCP KMS", "resource_id"), ("azure_kv", "Azure Key Vault", "vault_url"),
        ("hc_vault", "HashiCorp Vault", "vault_address"), ("pgp", "PGP", "fp"), ("hckms", "HuaweiCloud KMS", "key_id"),
    ]

    /// Reads the metadata mapping (already unflattened for dotenv and INI).
    init(_ tree: [SOPSItem], source: String) throws(SOPSError) {
        func string(_ key: String) -> String? {
            switch tree[sopsKey: key] {
            case .string(let text)?, .time(let text)?: text
            case .int(let number)?: String(number)
            case .float(let number)?: GoFormatting.formatF(number)
            case .bool(let flag)?: flag ? "true" : "false"
            default: nil
            }
        }
        lastModified = string("lastmodified") ?? ""
        mac = string("mac") ?? ""
        version = string("version") ?? ""
        integrity = nonEmptyString(string(SOPSIntegrity.metadataKey))
        func nonEmpty(_ key: String) -> String? { string(key).flatMap { $0.isEmpty ? nil : $0 } }
        unencryptedSuffix = nonEmpty("unencrypted_suffix")
        encryptedSuffix = nonEmpty("encrypted_suffix")
        unencryptedRegex = nonEmpty("unencrypted_regex")
        encryptedRegex = nonEmpty("encrypted_regex")
        unencryptedCommentRegex = nonEmpty("unencrypted_comment_regex")
        encryptedCommentRegex = nonEmpty("encrypted_comment_regex")
        switch tree[sopsKey: "mac_only_encrypted"] {
        case .bool(let flag)?: macOnlyEncrypted = flag
        case .string(let text)?: macOnlyEncrypted = ["1", "t", "T", "true", "TRUE", "True"].contains(text)
        default: break
        }
        if let threshold = string("shamir_threshold") { shamirThreshold = Int(threshold) ?? 0 }
        let rules = [unencryptedSuffix, encryptedSuffix, unencryptedRegex, encryptedRegex, unencryptedCommentRegex, encryptedCommentRegex]
            .compactMap { $0 }.count
        guard rules <= 1 else {
            throw SOPSError(.malformed, "\(source): sops metadata sets more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, unencrypted_comment_regex")
        }
        if rules == 0 { unencryptedSuffix = "_unencrypted" }

        let topLevel = try Self.group(tree, source: source)
        if !topLevel.age.isEmpty || !topLevel.others.isEmpty {
            keyGroups = [topLevel]
        } else if case .sequence(let groups)? = tree[sopsKey: "key_groups"] {
            for group in groups {
                guard case .mapping(let items) = group else { continue }
                keyGroups.append(try Self.group(items, source: source))
            }
        }
        guard !keyGroups.isEmpty else { throw SOPSError(.malformed, "\(source): sops metadata lists no keys") }
        guard !lastModified.isEmpty, !mac.isEmpty else {
            throw SOPSError(.malformed, "\(source): sops metadata has no lastmodified or mac")
        }
    }

    private static func group(_ items: [SOPSItem], source: String) throws(SOPSError) -> KeyGroup {
        var group = KeyGroup()
        if case .sequence(let keys)? = items[sopsKey: "age"] {
            for key in keys {
                guard case .mapping(let fields) = key, case .string(let recipient)? = fields[sopsKey: "recipient"],
                      case .string(let encrypted)? = fields[sopsKey: "enc"]
                else { throw SOPSError(.malformed, "\(source): sops metadata has an age entry without recipient and enc") }
                group.age.append(AgeKey(recipient: recipient, encryptedKey: encrypted))
            }
        }
        for kind in otherKinds {
            guard case .sequence(let keys)? = items[sopsKey: kind.field] else { continue }
            for key in keys {
                var identifier = ""
                if case .mapping(let fields) = key, case .string(let id)? = fields[sopsKey: kind.id] { identifier = id }
                group.others.append(identifier.isEmpty ? kind.name : "\(kind.name) \(identifier)")
            }
        }
        return group
    }

    private func nonEmptyString(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }

    /// The MAC's additional data: `lastmodified` as Go's `time.Format(time.RFC3339)` writes
    /// the parsed time back (no fractional seconds, `Z` for a zero offset).
    var macAdditionalData: String {
        var text = lastModified
        if let dot = text.firstIndex(of: ".") {
            let zoneStart = text[dot...].firstIndex { $0 == "Z" || $0 == "z" || $0 == "+" || $0 == "-" } ?? text.endIndex
            text.removeSubrange(dot..<zoneStart)
        }
        if text.hasSuffix("+00:00") || text.hasSuffix("-00:00") { text = String(text.dropLast(6)) + "Z" }
        if text.hasSuffix("z") { text = String(text.dropLast()) + "Z" }
        return text
    }
}

/// Flattened metadata (dotenv's `sops_age__list_0__map_enc`, INI's `[sops]` section) back to
/// a tree: `__map_` and `__list_` separate the path components, as stores/flatten.go writes.
enum SOPSFlattening {
    static func unflatten(_ entries: [(String, SOPSValue)]) -> [SOPSItem] {
        final class Node {
            var value: SOPSValue?
            var keys: [String] = []
            var children: [String: Node] = [:]
            var indices: [Int: Node] = [:]
        }
        let root = Node()
        for (key, value) in entries {
            var node = root
            for token in tokenize(key) {
                switch token {
                case .key(let name):
                    if node.children[name] == nil { node.children[name] = Node(); node.keys.append(name) }
                    node = node.children[name]!
                case .index(let position):
                    if node.indices[position] == nil { node.indices[position] = Node() }
                    node = node.indices[position]!
                }
            }
            node.value = value
        }
        func convert(_ node: Node) -> SOPSValue {
            if let value = node.value { return value }
            if !node.children.isEmpty {
                return .mapping(node.keys.sorted().map { .entry($0, convert(node.children[$0]!)) })
            }
            if !node.indices.isEmpty {
                return .sequence(node.indices.keys.sorted().map { convert(node.indices[$0]!) })
            }
            return .mapping([])
        }
        if case .mapping(let items) = convert(root) { return items }
        return []
    }

    private enum Token { case key(String), index(Int) }

    private static func tokenize(_ path: String) -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(path)
        var current = ""
        var isIndex = false
        func finish() {
            tokens.append(isIndex ? .index(Int(current) ?? 0) : .key(current))
            current = ""
        }
        while !rest.isEmpty {
            if rest.hasPrefix("__map_") {
                finish(); isIndex = false; rest = rest.dropFirst(6)
            } else if rest.hasPrefix("__list_") {
                finish(); isIndex = true; rest = rest.dropFirst(7)
            } else {
                current.append(rest.removeFirst())
            }
        }
        finish()
        return tokens
    }
}
