import Dispatch
import Foundation

/// Turns Secrets into SealedSecrets with one public key (DESIGN 1.3): the cluster can decrypt,
/// nobody else can, and the scope is bound into every value.
public struct Sealer: Sendable {
    public let publicKey: PublicKey

    public init(publicKey: PublicKey) {
        self.publicKey = publicKey
    }

    /// Seals a whole Secret.
    /// - Parameters:
    ///   - scope: overrides the scope the Secret's annotations declare (kubeseal's `--scope`).
    ///   - allowEmptyData: a Secret with no items is almost always a mistake; sealing one must be asked for.
    /// - Throws: `ManifestError` (missing or malformed name or namespace, missing namespace for the scope, empty data, over 1 MiB).
    ///   - parallel: seal the values on every core (each value is an independent RSA public
    ///     operation); for the CLI, where one Secret may hold thousands of items.
    public func seal(_ secret: Secret, scope: SealingScope? = nil, allowEmptyData: Bool = false,
                     parallel: Bool = false) throws(ManifestError) -> SealedSecret {
        guard let name = secret.metadata.name else {
            throw ManifestError("the Secret has no metadata.name")
        }
        try ObjectNameRules.check(kind: "Secret", name: name, namespace: secret.metadata.namespace)
        guard allowEmptyData || !secret.items.isEmpty else {
            throw ManifestError("the Secret has no data or stringData; pass --allow-empty-data to seal it anyway")
        }
        try Self.checkSize(of: secret, name: name)
        var templateMetadata = secret.metadata.forTemplate()
        if let scope {
            templateMetadata.annotations = scope.applied(to: templateMetadata.annotations)
        }
        let effectiveScope = SealingScope(annotations: templateMetadata.annotations)
        let namespace = try Self.namespace(secret.metadata.namespace, for: effectiveScope)

        var metadata = ObjectMetadata(name: name, namespace: secret.metadata.namespace)
        metadata.annotations = effectiveScope.applied(to: [:])
        var sealed = SealedSecret(
            metadata: metadata,
            encryptedData: [],
            template: .init(metadata: templateMetadata, type: secret.type, immutable: secret.immutable)
        )
        let label = effectiveScope.label(namespace: namespace, name: name)
        // A Secret's keys are unique: the items are appended in order, without a lookup each.
        let ciphertexts = try sealValues(secret.items, label: label, parallel: parallel)
        sealed.encryptedData = zip(secret.items, ciphertexts).map { .init(key: $0.key, ciphertext: $1) }
        return sealed
    }

    /// The API server refuses a Secret whose values total more than 1 MiB; a SealedSecret of one
    /// would only fail later, in the cluster. Refused here with the API server's own words.
    public static let maximumSecretDataSize = 1 << 20

    static func checkSize(of secret: Secret, name: String) throws(ManifestError) {
        let total = secret.items.reduce(0) { $0 + $1.value.count }
        guard total <= maximumSecretDataSize else {
            throw ManifestError("Secret \"\(name)\" is invalid: data: Too long: may not be more than \(maximumSecretDataSize) bytes"
                                + " (its values total \(total) bytes)")
        }
    }

    /// Seals items into an existing SealedSecret (`--merge-into`): items not in `secret` keep
    /// their exact ciphertext; the existing object's name, namespace and scope decide the label.
    public func merge(_ secret: Secret, into existing: SealedSecret) throws(ManifestError) -> SealedSecret {
        guard let name = existing.metadata.name else {
            throw ManifestError("the SealedSecret to merge into has no metadata.name")
        }
        let scope = existing.scope
        let namespace = try Self.namespace(existing.metadata.namespace, for: scope)
        let label = scope.label(namespace: namespace, name: name)
        var merged = existing
        // The input's labels and annotations join the template, as kubeseal merges them.
        let incoming = secret.metadata.forTemplate()
        merged.template.metadata.labels.merge(incoming.labels) { $1 }
        merged.template.metadata.annotations.merge(SealingScope.strict.applied(to: incoming.annotations)) { $1 }
        var positions = Dictionary(merged.encryptedData.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        for item in secret.items {
            let ciphertext = try sealValue(item.value, label: label, item: item.key)
            if let position = positions[item.key] {
                merged.encryptedData[position].ciphertext = ciphertext
            } else {
                positions[item.key] = merged.encryptedData.count
                merged.encryptedData.append(.init(key: item.key, ciphertext: ciphertext))
            }
        }
        return merged
    }

    /// Re-seals every item of `sealed` to this sealer's key (key rotation, `/v1/rotate`). The
    /// scope, name and namespace come from the object's top-level metadata, so they are kept
    /// exactly; the template is left as it is.
    /// - Throws: `ManifestError` when an item cannot be decrypted with `unsealer`'s keys.
    public func reseal(_ sealed: SealedSecret, with unsealer: Unsealer) throws(ManifestError) -> SealedSecret {
        guard sealed.legacyData == nil || !sealed.encryptedData.isEmpty else {
            throw ManifestError("the legacy v1 format (spec.data) cannot be re-sealed in place; seal the Secret again")
        }
        guard let name = sealed.metadata.name else {
            throw ManifestError("the SealedSecret has no metadata.name")
        }
        let scope = sealed.scope
        let label = scope.label(namespace: try Self.namespace(sealed.metadata.namespace, for: scope), name: name)
        var resealed = sealed
        // decryptItems returns the items in encryptedData's order, one for one.
        for (index, item) in try unsealer.decryptItems(sealed).enumerated() {
            resealed.encryptedData[index].ciphertext = try sealValue(item.value, label: label, item: item.key)
        }
        return resealed
    }

    /// Seals one raw value for `--raw` (base64 text, as it goes into `encryptedData`).
    public func sealRaw(_ value: SecretBytes, scope: SealingScope, namespace: String?, name: String?) throws(ManifestError) -> String {
        let resolvedNamespace = try Self.namespace(namespace, for: scope)
        if scope == .strict, name?.isEmpty ?? true {
            throw ManifestError("strict scope needs a name (--name)")
        }
        if let name, !name.isEmpty {
            try ObjectNameRules.check(kind: "Secret", name: name, namespace: namespace)
        } else if let namespace, !namespace.isEmpty, !ObjectNameRules.namespaceProblems(namespace).isEmpty {
            let problems = ObjectNameRules.namespaceProblems(namespace)
            throw ManifestError("namespace \(ObjectNameRules.goQuoted(namespace)) is invalid: \(problems.joined(separator: ", "))")
        }
        return try sealValue(value, label: scope.label(namespace: resolvedNamespace, name: name ?? ""), item: nil)
    }

    /// Every item's ciphertext, in order; across cores when asked and worth it.
    private func sealValues(_ items: [Secret.Item], label: [UInt8], parallel: Bool) throws(ManifestError) -> [String] {
        let cores = AvailableProcessors.count
        guard parallel, cores > 1, items.count >= 32 else {
            return try items.map { item throws(ManifestError) in try sealValue(item.value, label: label, item: item.key) }
        }
        let results = UnsafeMutableBufferPointer<Result<String, ManifestError>>.allocate(capacity: items.count)
        results.initialize(repeating: .failure(ManifestError("not sealed")))
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results  // each chunk writes only its own indices
        let chunks = cores * 4
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for index in stride(from: chunk, to: items.count, by: chunks) {
                slots[index] = Result { () throws(ManifestError) -> String in
                    try sealValue(items[index].value, label: label, item: items[index].key)
                }
            }
        }
        return try results.map { result throws(ManifestError) in try result.get() }
    }

    private func sealValue(_ value: SecretBytes, label: [UInt8], item: String?) throws(ManifestError) -> String {
        do {
            return Base64.encode(try HybridCipher.seal(value, to: publicKey, label: label))
        } catch {
            throw ManifestError("cannot seal: \(error)", item: item)
        }
    }

    /// The namespace that goes into the label; cluster-wide needs none.
    private static func namespace(_ namespace: String?, for scope: SealingScope) throws(ManifestError) -> String {
        if let namespace { return namespace }
        guard scope == .clusterWide else {
            throw ManifestError("\(scope) scope needs a namespace (set metadata.namespace or pass --namespace)")
        }
        return ""
    }
}
