/// Renders `spec.template.data` entries. Injected so the manifest layer does not depend on a
/// particular template engine; ``Unsealer`` uses the Go-compatible one by default.
public protocol TemplateDataRendering: Sendable {
    /// - Parameters: `name` is the entry's key; `values` are the decrypted items.
    /// - Throws: an error whose description names the entry and position, never a value.
    func render(name: String, template: String, values: [String: [UInt8]]) throws -> [UInt8]
}

/// Turns SealedSecrets back into Secrets with a set of private keys, exactly as the controller
/// does (DESIGN 1.4): this is both the controller's core and `--recovery-unseal`.
public struct Unsealer: Sendable {
    public static let skipOwnerReferencesAnnotation = "sealedsecrets.bitnami.com/skip-set-owner-references"

    public let keys: [PrivateKey]
    public let templates: (any TemplateDataRendering)?

    public init(keys: [PrivateKey], templates: (any TemplateDataRendering)? = nil) {
        self.keys = keys
        self.templates = templates
    }

    /// - Throws: `ManifestError` naming every item that failed (all items are tried, so one
    ///   report lists them all); nothing partial is returned.
    public func unseal(_ sealed: SealedSecret) throws(ManifestError) -> Secret {
        try unsealReportingKeys(sealed).secret
    }

    /// Unseals and also says which of ``keys`` (by index) opened the values, so the controller
    /// can tell how many objects still depend on each key.
    public func unsealReportingKeys(_ sealed: SealedSecret) throws(ManifestError) -> (secret: Secret, keysUsed: Set<Int>) {
        var used = Set<Int>()
        guard let name = sealed.metadata.name else {
            throw ManifestError("the SealedSecret has no metadata.name")
        }
        let namespace = sealed.metadata.namespace ?? ""
        let label = sealed.scope.label(namespace: namespace, name: name)

        var secret: Secret
        if !sealed.encryptedData.isEmpty || sealed.legacyData == nil {
            secret = Secret(metadata: sealed.template.metadata, type: sealed.template.type, immutable: sealed.template.immutable)
            secret.items = try decryptItems(sealed, label: label, used: &used)
        } else {
            secret = try unsealLegacy(sealed.legacyData ?? "", label: label, used: &used)
        }

        try renderTemplates(sealed.template.data, into: &secret)
        secret.items.sort { $0.key < $1.key }

        secret.metadata.removeServerSetFields()
        secret.metadata.name = name
        secret.metadata.namespace = sealed.metadata.namespace
        if let uid = sealed.metadata.uid, secret.metadata.annotations[Self.skipOwnerReferencesAnnotation] != "true" {
            secret.metadata.fields["ownerReferences"] = .sequence([.mapping(Mapping([
                "apiVersion": .string(SealedSecret.apiVersion),
                "kind": .string(SealedSecret.kind),
                "name": .string(name),
                "uid": .string(uid),
                "controller": .bool(true),
            ]))])
        } else {
            secret.metadata.fields["ownerReferences"] = nil
        }
        return (secret, used)
    }

    /// The decrypted `encryptedData` items alone, before templates: what re-sealing needs.
    /// - Throws: `ManifestError` naming every item that failed.
    public func decryptItems(_ sealed: SealedSecret) throws(ManifestError) -> [Secret.Item] {
        guard let name = sealed.metadata.name else {
            throw ManifestError("the SealedSecret has no metadata.name")
        }
        var used = Set<Int>()
        return try decryptItems(sealed, label: sealed.scope.label(namespace: sealed.metadata.namespace ?? "", name: name), used: &used)
    }

    private func decryptItems(_ sealed: SealedSecret, label: [UInt8], used: inout Set<Int>) throws(ManifestError) -> [Secret.Item] {
        var items: [Secret.Item] = []
        var failures: [(key: String, reason: String)] = []
        for item in sealed.encryptedData {
            do {
                items.append(.init(key: item.key, value: try open(item.ciphertext, label: label, used: &used)))
            } catch {
                failures.append((item.key, error.description))
            }
        }
        if !failures.isEmpty {
            throw ManifestError(itemFailures: failures.map { (item: $0.key, reason: $0.reason) })
        }
        return items
    }

    private func open(_ ciphertext: String, label: [UInt8], used: inout Set<Int>) throws(UnsealFailure) -> SecretBytes {
        let bytes: [UInt8]
        do { bytes = try Base64.decode(ciphertext) } catch { throw UnsealFailure(description: error.description) }
        do {
            let (plaintext, index) = try HybridCipher.openIdentifyingKey(bytes, with: keys, label: label)
            used.insert(index)
            return plaintext
        } catch {
            throw UnsealFailure(description: error.message)
        }
    }

    /// The v1 format: one ciphertext holding a whole Secret as JSON; its data, type, labels
    /// and annotations are used, the template is not.
    private func unsealLegacy(_ ciphertext: String, label: [UInt8], used: inout Set<Int>) throws(ManifestError) -> Secret {
        let plaintext: SecretBytes
        do { plaintext = try open(ciphertext, label: label, used: &used) } catch {
            throw ManifestError("spec.data (v1 format): \(error.description)")
        }
        do {
            let documents = try plaintext.withUnsafeBytes { raw throws(YAMLError) in try YAMLReader.manifests(Array(raw)) }
            guard documents.count == 1 else { throw ManifestError("spec.data (v1 format) does not hold one Secret") }
            return try Secret(node: documents[0].root)
        } catch let error as ManifestError {
            throw ManifestError("spec.data (v1 format): \(error.description)")
        } catch {
            throw ManifestError("spec.data (v1 format) is not a JSON Secret")
        }
    }

    private func renderTemplates(_ entries: [(key: String, template: String)], into secret: inout Secret) throws(ManifestError) {
        guard !entries.isEmpty else { return }
        guard let templates else {
            throw ManifestError("spec.template.data needs a template engine, and none is configured")
        }
        var values: [String: [UInt8]] = [:]
        for item in secret.items { values[item.key] = item.value.copyBytes() }
        defer {
            for key in values.keys { values[key]!.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        }
        for entry in entries {
            let rendered: [UInt8]
            do {
                rendered = try templates.render(name: entry.key, template: entry.template, values: values)
            } catch {
                throw ManifestError("template: \(error)", item: entry.key)
            }
            secret.items.removeAll { $0.key == entry.key }
            secret.items.append(.init(key: entry.key, value: SecretBytes(rendered)))
        }
    }
}

/// Why one item did not open; only framing and key errors, never content.
private struct UnsealFailure: Error {
    let description: String
}
