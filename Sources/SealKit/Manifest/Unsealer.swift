/// Renders `spec.template.data` entries. Injected so the manifest layer does not depend on a
/// particular template engine; ``Unsealer`` uses the Go-compatible one by default.
public protocol TemplateDataRendering: Sendable {
    /// Renders one entry and charges what it cost to `budget`, which is shared by all the
    /// entries of one object.
    /// - Parameters: `name` is the entry's key; `values` are the decrypted items.
    /// - Throws: when the template is malformed, fails, or exceeds `budget`.
    func render(name: String, template: String, values: [String: [UInt8]], budget: inout RenderBudget) throws -> [UInt8]

    /// What may be said about a render failure outside the process (status, events, HTTP):
    /// nothing that depends on the values.
    func publicDescription(of error: any Error) -> String
}

/// Turns SealedSecrets back into Secrets with a set of private keys, exactly as the controller
/// does (DESIGN 1.4): this is both the controller's core and `--recovery-unseal`.
public struct Unsealer: Sendable {
    public static let skipOwnerReferencesAnnotation = "sealedsecrets.bitnami.com/skip-set-owner-references"

    public let keys: [PrivateKey]
    public let templates: (any TemplateDataRendering)?
    public let budget: UnsealBudget
    /// Whether errors that depend on decrypted content are reported in full: a template's
    /// execution error (the text of `fail`, a type error over a value) and what is wrong with a
    /// v1 blob's decrypted JSON. Only for the holder of the keys (`--recovery-unseal`); the
    /// controller never reveals them.
    public let revealsContentErrors: Bool

    public init(keys: [PrivateKey], templates: (any TemplateDataRendering)? = nil, budget: UnsealBudget = .cluster,
                revealsContentErrors: Bool = false) {
        self.keys = keys
        self.templates = templates
        self.budget = budget
        self.revealsContentErrors = revealsContentErrors
    }

    /// The outcome of unsealing one object.
    public struct Outcome: Sendable {
        public var secret: Secret
        /// Which of ``Unsealer/keys`` (by index) opened the values, so the controller can tell
        /// how many objects still depend on each key, and try that key first next time.
        public var keysUsed: Set<Int>
        /// RSA private-key operations performed; `valuesOpened` of them succeeded.
        public var rsaAttempts: Int
        public var valuesOpened: Int
    }

    /// - Throws: `ManifestError` naming the first item that no key opens (nothing after it is
    ///   tried), or the budget that was exceeded; nothing partial is returned.
    public func unseal(_ sealed: SealedSecret) throws(ManifestError) -> Secret {
        try unsealReportingKeys(sealed).secret
    }

    /// Unseals and also says which keys opened the values and what it cost.
    /// - Parameter preferredKeys: indices of keys to try first (e.g. the key that opened this
    ///   object last time); a wrong hint costs attempts, never a missed key.
    public func unsealReportingKeys(_ sealed: SealedSecret, preferredKeys: [Int] = []) throws(ManifestError) -> Outcome {
        guard let name = sealed.metadata.name else {
            throw ManifestError("the SealedSecret has no metadata.name")
        }
        let namespace = sealed.metadata.namespace ?? ""
        let label = sealed.scope.label(namespace: namespace, name: name)
        var progress = Progress(preferred: preferredKeys)

        var secret: Secret
        if !sealed.encryptedData.isEmpty || sealed.legacyData == nil {
            secret = Secret(metadata: sealed.template.metadata, type: sealed.template.type, immutable: sealed.template.immutable)
            secret.items = try decryptItems(sealed, label: label, progress: &progress)
        } else {
            secret = try unsealLegacy(sealed.legacyData ?? "", label: label, progress: &progress)
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
        return Outcome(secret: secret, keysUsed: progress.used, rsaAttempts: progress.attempts, valuesOpened: progress.opened)
    }

    /// The decrypted `encryptedData` items alone, before templates: what re-sealing needs.
    /// - Throws: `ManifestError` naming the first item that failed.
    public func decryptItems(_ sealed: SealedSecret) throws(ManifestError) -> [Secret.Item] {
        guard let name = sealed.metadata.name else {
            throw ManifestError("the SealedSecret has no metadata.name")
        }
        var progress = Progress(preferred: [])
        return try decryptItems(sealed, label: sealed.scope.label(namespace: sealed.metadata.namespace ?? "", name: name),
                                progress: &progress)
    }

    /// Whether every value of `sealed` opens with these keys under the object's own scope:
    /// `/v1/verify`. Nothing else is computed — no template is rendered and no decrypted
    /// content is looked at — so the answer reveals only what the question asks.
    public func canDecrypt(_ sealed: SealedSecret) -> Bool {
        guard let name = sealed.metadata.name else { return false }
        let label = sealed.scope.label(namespace: sealed.metadata.namespace ?? "", name: name)
        var progress = Progress(preferred: [])
        if sealed.encryptedData.isEmpty, let legacy = sealed.legacyData {
            return (try? open(legacy, label: label, progress: &progress)) != nil
        }
        return (try? decryptItems(sealed, label: label, progress: &progress)) != nil
    }

    /// Per-object state while values are opened: the keys that worked (tried first for the
    /// next value, as an object's values are almost always sealed to one key) and the cost.
    private struct Progress {
        var preferred: [Int]
        var used = Set<Int>()
        var attempts = 0
        var opened = 0
        var bytes = 0

        mutating func opened(with index: Int) {
            opened += 1
            used.insert(index)
            if preferred.first != index {
                preferred.removeAll { $0 == index }
                preferred.insert(index, at: 0)
            }
        }
    }

    private func decryptItems(_ sealed: SealedSecret, label: [UInt8], progress: inout Progress) throws(ManifestError) -> [Secret.Item] {
        guard sealed.encryptedData.count <= budget.maxItems else {
            throw ManifestError("over budget: \(sealed.encryptedData.count) items in spec.encryptedData (at most \(budget.maxItems))")
        }
        var items: [Secret.Item] = []
        items.reserveCapacity(sealed.encryptedData.count)
        for item in sealed.encryptedData {
            let value: SecretBytes
            do {
                value = try open(item.ciphertext, label: label, progress: &progress)
            } catch {
                // The first value no key opens decides: trying the rest would only cost more.
                throw ManifestError(itemFailures: [(item: item.key, reason: error.description)])
            }
            progress.bytes += value.count
            guard progress.bytes <= budget.maxSecretBytes else {
                throw ManifestError("over budget: the values exceed \(budget.maxSecretBytes) bytes, the most a Secret holds")
            }
            items.append(.init(key: item.key, value: value))
        }
        return items
    }

    private func open(_ ciphertext: String, label: [UInt8], progress: inout Progress) throws(UnsealFailure) -> SecretBytes {
        let bytes: [UInt8]
        do { bytes = try Base64.decode(ciphertext) } catch { throw UnsealFailure(description: error.description) }
        do {
            let (plaintext, index) = try HybridCipher.open(bytes, with: keys, label: label, tryingFirst: progress.preferred,
                                                           attempts: &progress.attempts)
            progress.opened(with: index)
            return plaintext
        } catch {
            throw UnsealFailure(description: error.message)
        }
    }

    /// The v1 format: one ciphertext holding a whole Secret as JSON; its data, type, labels
    /// and annotations are used, the template is not.
    private func unsealLegacy(_ ciphertext: String, label: [UInt8], progress: inout Progress) throws(ManifestError) -> Secret {
        let plaintext: SecretBytes
        do { plaintext = try open(ciphertext, label: label, progress: &progress) } catch {
            throw ManifestError("spec.data (v1 format): \(error.description)")
        }
        do {
            let documents = try plaintext.withUnsafeBytes { raw throws(YAMLError) in try YAMLReader.manifests(Array(raw)) }
            guard documents.count == 1 else { throw ManifestError("spec.data (v1 format) does not hold one Secret") }
            return try Secret(node: documents[0].root)
        } catch let error as ManifestError where revealsContentErrors {
            throw ManifestError("spec.data (v1 format): \(error.description)")
        } catch {
            // What is wrong with decrypted JSON (its keys, its shape) is content, not framing.
            throw ManifestError("spec.data (v1 format) is not a JSON Secret")
        }
    }

    private func renderTemplates(_ entries: [(key: String, template: String)], into secret: inout Secret) throws(ManifestError) {
        guard !entries.isEmpty else { return }
        guard let templates else {
            throw ManifestError("spec.template.data needs a template engine, and none is configured")
        }
        guard entries.count <= budget.maxTemplateEntries else {
            throw ManifestError("over budget: \(entries.count) entries in spec.template.data (at most \(budget.maxTemplateEntries))")
        }
        var values: [String: [UInt8]] = [:]
        for item in secret.items { values[item.key] = item.value.copyBytes() }
        defer {
            for key in values.keys { values[key]!.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        }
        let itemBytes = secret.items.reduce(0) { $0 + $1.value.count }
        var remaining = RenderBudget(outputBytes: budget.maxSecretBytes - itemBytes, steps: budget.maxTemplateSteps)
        var rendered: [String: SecretBytes] = [:]
        for entry in entries {
            do {
                rendered[entry.key] = SecretBytes(try templates.render(name: entry.key, template: entry.template, values: values,
                                                                       budget: &remaining))
            } catch {
                let message = revealsContentErrors ? "template: \(error)" : templates.publicDescription(of: error)
                throw ManifestError(message, item: entry.key)
            }
        }
        secret.items.removeAll { rendered[$0.key] != nil }
        for (key, value) in rendered { secret.items.append(.init(key: key, value: value)) }
    }
}

/// Why one item did not open; only framing and key errors, never content.
private struct UnsealFailure: Error {
    let description: String
}
