internal import SealKitYAML
internal import SecretTemplate

/// `.sops.yaml`: the repository's creation rules, as sops reads them (config/config.go). The
/// first rule whose `path_regex` (Go RE2) matches the file's path relative to the config's
/// directory — or that has no `path_regex` — decides the recipients and the encryption rule.
public enum SOPSConfig {
    public static let fileName = ".sops.yaml"

    /// The nearest `.sops.yaml` in `directory` or its parents (sops looks up to 100 levels).
    public static func find(from directory: String, exists: (String) -> Bool) -> String? {
        var current = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        for _ in 0..<100 {
            let candidate = (current == "/" ? "" : current) + "/" + fileName
            if exists(candidate) { return candidate }
            guard current != "/", let slash = current.lastIndex(of: "/") else { return nil }
            current = slash == current.startIndex ? "/" : String(current[..<slash])
        }
        return nil
    }

    /// The options of the creation rule for `filePath` (absolute), from the config at
    /// `configPath` (absolute). Nil when the config has no creation rules.
    /// - Throws: ``SOPSError`` `.invalidArgument` when no rule matches, a rule names key
    ///   types other than age, or the config is malformed.
    public static func options(config bytes: [UInt8], configPath: String, filePath: String) throws(SOPSError) -> SOPSEncryptionOptions? {
        let documents: [YAMLReader.Document]
        do { documents = try YAMLReader.documents(bytes) } catch { throw SOPSError(.invalidArgument, "\(configPath): \(error)") }
        guard let root = documents.first?.root.mapping, let rules = root["creation_rules"]?.sequence else { return nil }
        let directory = configPath.contains("/") ? String(configPath[..<configPath.lastIndex(of: "/")!]) : "."
        let relative = filePath.hasPrefix(directory + "/") ? String(filePath.dropFirst(directory.count + 1)) : filePath
        for (index, rule) in rules.enumerated() {
            guard let fields = rule.mapping else { throw SOPSError(.invalidArgument, "\(configPath): creation rule \(index + 1) is not a mapping") }
            if let pattern = fields["path_regex"]?.scalar?.text, !pattern.isEmpty {
                let regex: RE2Pattern
                do { regex = try RE2Pattern(pattern) } catch {
                    throw SOPSError(.invalidArgument, "\(configPath): creation rule \(index + 1): path_regex: \(error.message)")
                }
                guard regex.matches(relative) else { continue }
            }
            return try options(fields, rule: index + 1, configPath: configPath)
        }
        throw SOPSError(.invalidArgument, "\(configPath): no creation rule matches \(relative)")
    }

    private static func options(_ fields: Mapping, rule: Int, configPath: String) throws(SOPSError) -> SOPSEncryptionOptions {
        let place = "\(configPath): creation rule \(rule)"
        func recipients(_ node: Node?) -> [String] {
            switch node {
            case .scalar(let scalar)?: scalar.text.split(separator: ",").map { $0.trimming(" \t\n") }.filter { !$0.isEmpty }
            case .sequence(let items)?: items.compactMap { $0.scalar?.text.trimming(" \t\n") }.filter { !$0.isEmpty }
            default: []
            }
        }
        var ageTexts = recipients(fields["age"])
        if let groups = fields["key_groups"]?.sequence {
            guard groups.count == 1, let group = groups[0].mapping else {
                throw SOPSError(.unsupported, "\(place): key_groups with more than one group (Shamir) are not supported")
            }
            let others = group.keys.filter { $0 != "age" }
            guard others.isEmpty else {
                throw SOPSError(.unsupported, "\(place): key group uses \(others.joined(separator: ", ")); SealKit encrypts to age recipients only")
            }
            ageTexts += recipients(group["age"])
        }
        let otherKinds = ["kms", "pgp", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri", "hckms"].filter { fields[$0] != nil }
        guard otherKinds.isEmpty else {
            throw SOPSError(.unsupported, "\(place): uses \(otherKinds.joined(separator: ", ")); SealKit encrypts to age recipients only")
        }
        var options = SOPSEncryptionOptions(recipients: [])
        for text in ageTexts {
            do { options.recipients.append(try AgeRecipient(parsing: text)) } catch { throw SOPSError(.invalidArgument, "\(place): age: \(error.message)") }
        }
        guard !options.recipients.isEmpty else { throw SOPSError(.invalidArgument, "\(place): no age recipients") }
        func text(_ key: String) -> String? { fields[key]?.scalar.map(\.text).flatMap { $0.isEmpty ? nil : $0 } }
        options.unencryptedSuffix = text("unencrypted_suffix")
        options.encryptedSuffix = text("encrypted_suffix")
        options.unencryptedRegex = text("unencrypted_regex")
        options.encryptedRegex = text("encrypted_regex")
        options.unencryptedCommentRegex = text("unencrypted_comment_regex")
        options.encryptedCommentRegex = text("encrypted_comment_regex")
        options.macOnlyEncrypted = fields["mac_only_encrypted"]?.scalar?.boolValue ?? false
        return options
    }
}
