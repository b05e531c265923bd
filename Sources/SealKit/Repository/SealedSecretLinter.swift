public import Foundation

/// `sealkit lint`'s judgement of SealedSecrets, offline: what can be known without a cluster
/// or a private key about whether the controller will be able to decrypt an object — parsing,
/// ciphertext framing and key size, scope annotations, namespace — and whether the object is
/// what the repository's policy says belongs at its path.
public struct SealedSecretLinter: Sendable {
    /// The policy whose rules and clusters decide the expected scope and key size per path.
    public let policy: RepositoryPolicy?
    /// Key size of each policy cluster: `keyBits`, else its certificate file's key.
    private let keyBits: [String: Int]
    /// Problems of the policy itself (certificate files, pins, declared key sizes), found once.
    public let policyFindings: [Finding]

    /// - Parameters:
    ///   - policyFile: how findings about the policy name its file.
    ///   - now: for the certificate expiry check.
    public init(policy: RepositoryPolicy?, policyFile: String = RepositoryPolicy.fileName, now: Date = Date()) {
        self.policy = policy
        var bits: [String: Int] = [:]
        var findings: [Finding] = []
        for cluster in policy?.clusters ?? [] {
            if let declared = cluster.keyBits { bits[cluster.name] = declared }
            guard case .file(let relative) = cluster.certificate, let policy else { continue }
            func problem(_ rule: FindingRule, _ message: String) {
                findings.append(Finding(rule: rule.id, file: policyFile, line: cluster.line, message: "cluster \"\(cluster.name)\": \(message)"))
            }
            guard let data = FileManager.default.contents(atPath: policy.absolutePath(relative)) else {
                problem(LintRules.policyCertificate, "cannot read certificate file \(relative)")
                continue
            }
            let certificate: Certificate
            do { certificate = try Certificate(pem: Array(data)) } catch {
                problem(LintRules.policyCertificate, "\(relative): \(error.message)")
                continue
            }
            let fingerprint = certificate.publicKey.fingerprint
            if !cluster.fingerprints.contains(fingerprint) {
                problem(LintRules.policyCertificate, "\(relative) has key fingerprint \(fingerprint), which the policy does not pin")
            }
            do { try certificate.validate(at: now) } catch {
                problem(LintRules.policyCertificate, "\(relative): \(error.message)")
            }
            if let declared = cluster.keyBits, declared != certificate.publicKey.bits {
                problem(LintRules.policyKeySize, "keyBits is \(declared) but \(relative) holds a \(certificate.publicKey.bits)-bit key")
            }
            bits[cluster.name] = bits[cluster.name] ?? certificate.publicKey.bits
        }
        keyBits = bits
        policyFindings = findings
    }

    /// The key size the policy gives a cluster, when it can be known offline.
    func keyBits(ofCluster name: String) -> Int? { keyBits[name] }

    /// - Parameters:
    ///   - file: the name findings carry.
    ///   - relativePath: the path relative to the policy's root (nil outside it or without a policy).
    public func lint(_ bytes: [UInt8], file: String, relativePath: String?) -> [Finding] {
        let documents: [YAMLReader.Document]
        let map: SourceMap
        do {
            documents = try YAMLReader.manifests(bytes)
            map = try SourceMap(bytes)
        } catch {
            // Other YAML-looking files (Helm templates, …) are not lint's business.
            guard CredentialScanner.firstIndex(of: Array(SealedSecret.kind.utf8), in: bytes[...], from: 0) != nil else { return [] }
            let document = error.document.map { " (document \($0))" } ?? ""
            return [Finding(rule: LintRules.invalidYAML.id, file: file, line: error.line ?? 1, column: error.column,
                            message: "not valid YAML or JSON\(document): \(error.message)")]
        }
        let rule = relativePath.flatMap { policy?.rule(for: $0) }
        var findings: [Finding] = []
        for object in ManifestObject.all(in: documents) where object.kind == SealedSecret.kind {
            findings += ObjectLint(object: object, map: map, file: file, rule: rule, keyBits: keyBits).findings()
        }
        return findings.sorted { ($0.line, $0.column ?? 0) < ($1.line, $1.column ?? 0) }
    }
}

/// The checks on one SealedSecret object.
private struct ObjectLint {
    let object: ManifestObject
    let map: SourceMap
    let file: String
    let rule: RepositoryPolicy.Rule?
    let keyBits: [String: Int]

    private func finding(_ rule: FindingRule, at path: [SourceMap.PathComponent], _ message: String) -> Finding {
        let position = map.nearest(document: object.document, path: object.path + path)
        let name = object.name.map { "SealedSecret \"\($0)\"" } ?? "SealedSecret"
        return Finding(rule: rule.id, level: rule.level, file: file, line: position?.line ?? 1, column: position?.column,
                       message: "\(name) (\(object.location)): \(message)")
    }

    func findings() -> [Finding] {
        guard object.apiVersion == SealedSecret.apiVersion else {
            return [finding(LintRules.invalidSealedSecret, at: [.key("apiVersion")],
                            "apiVersion is \"\(object.apiVersion)\"; the controller watches \(SealedSecret.apiVersion)")]
        }
        let sealed: SealedSecret
        do { sealed = try SealedSecret(node: .mapping(object.object)) } catch {
            let at: [SourceMap.PathComponent] = error.item.map { [.key("spec"), .key("encryptedData"), .key($0)] } ?? Self.fieldPath(error.message)
            return [finding(LintRules.invalidSealedSecret, at: at, error.description)]
        }
        guard sealed.metadata.name != nil else {
            return [finding(LintRules.invalidSealedSecret, at: [.key("metadata")], "metadata.name is missing")]
        }
        var findings = scopeFindings(sealed)
        if sealed.scope != .clusterWide, sealed.metadata.namespace == nil {
            findings.append(finding(LintRules.missingNamespace, at: [.key("metadata")],
                                    "\(sealed.scope) scope but no metadata.namespace: the namespace is part of what was sealed"))
        }
        let templateAnnotations: [SourceMap.PathComponent] = [.key("spec"), .key("template"), .key("metadata"), .key("annotations")]
        if sealed.template.metadata.annotations[ObjectMetadata.lastAppliedAnnotation] != nil {
            findings.append(finding(LintRules.lastAppliedConfiguration, at: templateAnnotations + [.key(ObjectMetadata.lastAppliedAnnotation)],
                                    "spec.template carries \(ObjectMetadata.lastAppliedAnnotation), which may hold the plaintext Secret"))
        }
        for item in sealed.encryptedData {
            findings += itemFindings(item)
        }
        return findings
    }

    /// The field a parse error names (`spec.encryptedData must be a mapping` → spec, encryptedData),
    /// so the finding points at it rather than at the object.
    private static func fieldPath(_ message: String) -> [SourceMap.PathComponent] {
        guard let word = message.split(separator: " ").first, word.hasPrefix("spec") || word.hasPrefix("metadata"),
              word.allSatisfy({ $0.isLetter || $0 == "." }) else { return [] }
        return word.split(separator: ".").map { .key(String($0)) }
    }

    private func scopeFindings(_ sealed: SealedSecret) -> [Finding] {
        var findings: [Finding] = []
        let topAnnotations: [SourceMap.PathComponent] = [.key("metadata"), .key("annotations")]
        let templateAnnotations: [SourceMap.PathComponent] = [.key("spec"), .key("template"), .key("metadata"), .key("annotations")]
        for (annotations, path) in [(sealed.metadata.annotations, topAnnotations), (sealed.template.metadata.annotations, templateAnnotations)] {
            for key in [SealingScope.namespaceWideAnnotation, SealingScope.clusterWideAnnotation] {
                if let value = annotations[key], value != "true", value != "false" {
                    findings.append(finding(LintRules.scopeAnnotationValue, at: path + [.key(key)],
                                            "\(key) is \"\(value.prefix(20))\"; the controller honours only \"true\""))
                }
            }
        }
        let hasTemplate = object.object["spec"]?.mapping?["template"] != nil
        let templateScope = SealingScope(annotations: sealed.template.metadata.annotations)
        if hasTemplate, templateScope != sealed.scope {
            let at = sealed.template.metadata.annotations.isEmpty ? [.key("spec"), .key("template"), .key("metadata")] : templateAnnotations
            findings.append(finding(LintRules.scopeMismatch, at: at,
                                    "metadata.annotations say \(sealed.scope) but spec.template.metadata.annotations say \(templateScope); "
                                        + "the controller decrypts as \(sealed.scope), so a value sealed \(templateScope) fails with \"no key could decrypt secret\""))
        }
        if let rule, rule.scope != sealed.scope {
            findings.append(finding(LintRules.scopePolicy, at: sealed.metadata.annotations.isEmpty ? [.key("metadata")] : topAnnotations,
                                    "scope is \(sealed.scope) but rule \(rule.number) (\(rule.path)) in \(RepositoryPolicy.fileName) says \(rule.scope)"))
        }
        return findings
    }

    private func itemFindings(_ item: SealedSecret.EncryptedItem) -> [Finding] {
        let at: [SourceMap.PathComponent] = [.key("spec"), .key("encryptedData"), .key(item.key)]
        let label = "item \"\(item.key)\""
        switch CiphertextShape.read(item.ciphertext) {
        case .failure(.base64(let error)):
            return [finding(LintRules.ciphertextBase64, at: at, "\(label): not base64: \(error)")]
        case .failure(.tooShort(let count)):
            return [finding(LintRules.ciphertextFraming, at: at, "\(label): \(count) byte(s), too short for the 2-byte length prefix")]
        case .failure(.truncated(let rsaLength, let available)):
            return [finding(LintRules.ciphertextFraming, at: at,
                            "\(label): the length prefix announces a \(rsaLength)-byte RSA part but only \(available) bytes follow "
                                + "(the RSA part and a \(CiphertextShape.tagLength)-byte AES-GCM tag at least)")]
        case .success(let shape):
            let bits = shape.rsaLength * 8
            if let rule {
                let expected = rule.clusters.compactMap { name in keyBits[name].map { (name, $0) } }
                if !expected.isEmpty, !expected.contains(where: { ($0.1 + 7) / 8 == shape.rsaLength }) {
                    let clusters = expected.map { "\($0.0) (\($0.1) bits)" }.joined(separator: ", ")
                    return [finding(LintRules.ciphertextKeySize, at: at,
                                    "\(label): sealed with a \(bits)-bit key, but rule \(rule.number) (\(rule.path)) deploys here to cluster \(clusters); "
                                        + "sealed with another cluster's certificate?")]
                }
                if !expected.isEmpty { return [] }
            }
            if bits < PrivateKey.minimumBits {
                return [finding(LintRules.ciphertextKeySize, at: at,
                                "\(label): sealed with a \(bits)-bit key, below the \(PrivateKey.minimumBits) bits a controller key has")]
            }
            return []
        }
    }
}
