import Foundation

/// `sealkit guard`'s judgement of one file: plaintext Secrets (in lists and multi-document
/// files too), files the policy says must hold only SealedSecrets, private keys and credential
/// formats. Findings the policy's allow-list accepts are returned marked, not dropped, so
/// reports can show what was waved through and why.
///
/// Works on bytes, not paths, so the same check runs on the working tree and on the git index
/// (`--staged`), where the content being committed may differ from the file on disk.
public struct RepositoryGuard: Sendable {
    /// The policy whose `requireSealed` and `allow` apply; nil outside a policy's repository.
    public let policy: RepositoryPolicy?

    /// Files with these extensions are read as manifests (others only as text).
    static let manifestExtensions: Set<String> = ["yaml", "yml", "json"]
    static let keystoreExtensions: Set<String> = ["p12", "pfx"]

    /// A guard for one repository (or none).
    public init(policy: RepositoryPolicy?) {
        self.policy = policy
    }

    /// - Parameters:
    ///   - file: the name findings carry (as the user gave it, or relative to the repository).
    ///   - relativePath: the path relative to the policy's root, for `requireSealed` and the
    ///     allow-list; nil outside the repository or without a policy.
    public func scan(_ bytes: [UInt8], file: String, relativePath: String?) -> [Finding] {
        let lines = LineIndex(bytes)
        var findings: [Finding] = []
        let name = (relativePath ?? file).split(separator: "/").last.map(String.init) ?? file
        let fileExtension = name.range(of: ".", options: .backwards).map { String(name[$0.upperBound...]).lowercased() } ?? ""
        let mustBeSealed = relativePath.map { policy?.requiresSealed($0) ?? false } ?? false

        if Self.keystoreExtensions.contains(fileExtension) {
            findings.append(Finding(rule: GuardRules.keystoreFile.id, file: file, line: 1,
                                    message: "a .\(fileExtension) key store, which normally holds a private key"))
        }
        let isBinary = bytes.prefix(8000).contains(0)
        if !isBinary {
            for match in CredentialScanner.scan(bytes) {
                let position = lines.position(of: match.offset)
                findings.append(Finding(rule: match.rule.id, file: file, line: position.line, column: position.column,
                                        message: match.message))
            }
        }
        if Self.manifestExtensions.contains(fileExtension) || mustBeSealed {
            findings += manifestFindings(bytes, file: file, isBinary: isBinary, mustBeSealed: mustBeSealed)
        }
        findings.sort { ($0.line, $0.column ?? 0) < ($1.line, $1.column ?? 0) }
        guard let policy, let relativePath else { return findings }
        return findings.map { finding in
            var marked = finding
            marked.allowedBecause = policy.allowance(path: relativePath, rule: finding.rule)?.reason
            return marked
        }
    }

    private func manifestFindings(_ bytes: [UInt8], file: String, isBinary: Bool, mustBeSealed: Bool) -> [Finding] {
        let notSealedReason = "the policy allows only SealedSecrets here (requireSealed in \(RepositoryPolicy.fileName))"
        guard !isBinary, let documents = try? YAMLReader.manifests(bytes), let map = try? SourceMap(bytes) else {
            // Not YAML (a Helm template, a binary): only a requireSealed path makes that a finding.
            guard mustBeSealed else { return [] }
            return [Finding(rule: GuardRules.notSealed.id, file: file, line: 1,
                            message: "not a YAML or JSON manifest, but \(notSealedReason)")]
        }
        var findings: [Finding] = []
        if mustBeSealed {
            for document in documents where document.root.mapping == nil {
                let position = map.position(document: document.index, path: [])
                findings.append(Finding(rule: GuardRules.notSealed.id, file: file, line: position?.line ?? 1, column: position?.column,
                                        message: "document \(document.index) is \(document.root.kindDescription), not a manifest, but \(notSealedReason)"))
            }
        }
        for object in ManifestObject.all(in: documents) {
            let isSecret = object.kind == "Secret" && (object.apiVersion == "v1" || object.apiVersion.isEmpty)
            if isSecret, let finding = plaintextSecret(object, map: map, file: file) {
                findings.append(finding)
                continue
            }
            if mustBeSealed, object.kind != SealedSecret.kind {
                let position = map.nearest(document: object.document, path: object.path + [.key("kind")])
                let what = object.kind.isEmpty ? "an object without a kind" : "a \(object.kind)"
                findings.append(Finding(rule: GuardRules.notSealed.id, file: file, line: position?.line ?? 1, column: position?.column,
                                        message: "document \(object.document) is \(what), but \(notSealedReason)"))
            }
        }
        return findings
    }

    /// A Secret with at least one non-empty value that is not a deploy-time placeholder.
    private func plaintextSecret(_ object: ManifestObject, map: SourceMap, file: String) -> Finding? {
        var keys: [String] = []
        var firstField: String?
        for field in ["data", "stringData"] {
            guard let values = object.object[field]?.mapping else { continue }
            for entry in values {
                guard let scalar = entry.value.scalar, scalar.kind != .null, !scalar.text.isEmpty,
                      !Self.isPlaceholder(scalar.text) else { continue }
                keys.append(entry.key)
                if firstField == nil { firstField = field }
            }
        }
        guard let firstField else { return nil }
        let position = map.nearest(document: object.document, path: object.path + [.key(firstField)])
        let shown = keys.prefix(5).joined(separator: ", ") + (keys.count > 5 ? ", …" : "")
        let name = object.name.map { "Secret \"\($0)\"" } ?? "a Secret"
        return Finding(rule: GuardRules.plaintextSecret.id, file: file, line: position?.line ?? 1, column: position?.column,
                       message: "\(name) (\(object.location)) holds \(keys.count) plaintext value(s) (\(shown)); "
                           + "seal it with sealkit and commit only the SealedSecret")
    }

    /// Values filled in at deploy time (`{{ .Values.password }}`, `${DB_PASSWORD}`, `$(TOKEN)`)
    /// are templates, not secrets.
    static func isPlaceholder(_ value: String) -> Bool {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return (text.hasPrefix("{{") && text.hasSuffix("}}"))
            || (text.hasPrefix("${") && text.hasSuffix("}") && !text.dropFirst(2).contains("$"))
            || (text.hasPrefix("$(") && text.hasSuffix(")") && !text.dropFirst(2).contains("$"))
    }
}
