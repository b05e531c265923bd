public import SealKitCrypto

extension SOPSFile {
    /// `sops updatekeys`: the same data key, encrypted to exactly `recipients` (as the
    /// file's `.sops.yaml` rule now lists them). Values, MAC and `lastmodified` stay as they
    /// are, so the file's other readers see no change but the recipient list.
    /// - Returns: the new file, and the recipients added and removed.
    /// - Throws: ``SOPSError`` `.unsupported` when the file also uses KMS, PGP or Vault keys
    ///   (SealKit cannot re-encrypt to them and would silently drop them).
    public func updatingKeys(to recipients: [AgeRecipient], with identities: [AgeIdentity], identitySources: String)
        throws(SOPSError) -> (file: [UInt8], added: [String], removed: [String]) {
        try requireAgeOnly("updatekeys")
        let key = try dataKey(with: identities, identitySources: identitySources)
        var metadata = self.metadata
        metadata.keyGroups = [try Self.group(recipients, dataKey: key, source: source)]
        let before = ageRecipients
        let after = recipients.map(\.description)
        return (try SOPSEncryptor.emitEncrypted(branches, metadata: metadata, format: format),
                after.filter { !before.contains($0) }, before.filter { !after.contains($0) })
    }

    /// `sops rotate`: a new data key, every value re-encrypted under it (after the MAC and
    /// every value were verified with the old one), optionally adding and removing age
    /// recipients; the encryption rules of the file are kept.
    public func rotated(with identities: [AgeIdentity], identitySources: String, adding: [AgeRecipient] = [],
                        removing: [String] = [], lastModified: String) throws(SOPSError) -> [UInt8] {
        try requireAgeOnly("rotate")
        let plaintext = try decrypt(with: identities, identitySources: identitySources)
        var recipients: [AgeRecipient] = []
        for text in ageRecipients + adding.map(\.description) where !removing.contains(text) {
            guard let recipient = try? AgeRecipient(parsing: text) else {
                throw SOPSError(.malformed, "\(source): metadata names an invalid age recipient \(text)")
            }
            if !recipients.contains(recipient) { recipients.append(recipient) }
        }
        guard !recipients.isEmpty else { throw SOPSError(.invalidArgument, "\(source): removing every recipient would leave no one able to decrypt") }
        var options = SOPSEncryptionOptions(recipients: recipients)
        options.unencryptedSuffix = metadata.unencryptedSuffix == "_unencrypted" && format != .binary ? nil : metadata.unencryptedSuffix
        options.encryptedSuffix = metadata.encryptedSuffix
        options.unencryptedRegex = metadata.unencryptedRegex
        options.encryptedRegex = metadata.encryptedRegex
        options.unencryptedCommentRegex = metadata.unencryptedCommentRegex
        options.encryptedCommentRegex = metadata.encryptedCommentRegex
        options.macOnlyEncrypted = metadata.macOnlyEncrypted
        let newKey: SecretBytes
        do { newKey = SecretBytes(try SecureRandom.bytes(32)) } catch { throw SOPSError(.crypto, error.message) }
        return try SOPSEncryptor.encrypt(plaintext.branches, format: format, source: source, options: options,
                                         dataKey: newKey, lastModified: lastModified)
    }

    private func requireAgeOnly(_ operation: String) throws(SOPSError) {
        let others = metadata.keyGroups.flatMap(\.others)
        guard others.isEmpty, metadata.keyGroups.count == 1 else {
            throw SOPSError(.unsupported, "\(source): \(operation) would drop keys SealKit cannot encrypt to (\(others.isEmpty ? "Shamir key groups" : others.joined(separator: ", "))); use sops")
        }
    }

    static func group(_ recipients: [AgeRecipient], dataKey: SecretBytes, source: String) throws(SOPSError) -> SOPSMetadata.KeyGroup {
        guard !recipients.isEmpty else { throw SOPSError(.invalidArgument, "\(source): no age recipients") }
        var group = SOPSMetadata.KeyGroup()
        for recipient in recipients {
            do {
                let armored = try Age.encrypt(dataKey, to: [.x25519(recipient)], armored: true)
                group.age.append(.init(recipient: recipient.description, encryptedKey: String(decoding: armored, as: UTF8.self)))
            } catch {
                throw SOPSError(.crypto, "\(source): cannot encrypt the data key to \(recipient): \(error.message)")
            }
        }
        return group
    }
}
