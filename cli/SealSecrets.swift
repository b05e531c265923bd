import SealKit

/// The default action: Secret(s) in, SealedSecret(s) out — or, with `--merge-into`, the
/// input's items sealed into an existing SealedSecret file.
struct SealSecrets {
    let context: CommandContext

    func run() async throws(CLIFailure) {
        let input = try InputFile.read(context.io.input)
        // A SOPS-encrypted Secret is decrypted in memory (age identities as sops finds them).
        let documents: [YAMLReader.Document]
        if let decrypted = try SOPSInput.documents(input) { documents = decrypted } else { documents = try input.documents() }
        guard !documents.isEmpty else { throw CLIFailure("\(input.source): no Secret found in the input") }
        let certificate = try await context.certificate()
        let sealer = Sealer(publicKey: certificate.publicKey)

        if let target = context.io.mergeInto {
            try merge(documents, from: input, into: target, sealer: sealer)
            return
        }
        let sealed = try seal(documents, from: input, with: sealer, scope: context.scope, defaultNamespace: try context.defaultNamespace())
        let format = OutputFormat.resolve(context.io.format, path: context.io.output)
        try OutputTarget(path: context.io.output).write(try format.render(sealed))
    }

    /// Every Secret of the input, sealed with `sealer` (`--all-clusters` calls this once per cluster).
    /// - Parameter scope: overrides the Secrets' own scope annotations.
    func seal(_ documents: [YAMLReader.Document], from input: InputFile, with sealer: Sealer, scope: SealingScope?,
              defaultNamespace: String) throws(CLIFailure) -> [Node] {
        var sealed: [Node] = []
        for document in documents {
            do {
                let secret = try secretWithNamespace(document, scope: scope, defaultNamespace: defaultNamespace)
                let result = try sealer.seal(secret, scope: scope, allowEmptyData: context.sealing.allowEmptyData, parallel: true)
                sealed.append(result.node())
            } catch {
                throw CLIFailure(source: input.source, error.inDocument(document.index))
            }
        }
        return sealed
    }

    /// Applies the namespace rules: the Secret's own namespace wins; `-n` may only agree with it.
    private func secretWithNamespace(_ document: YAMLReader.Document, scope: SealingScope?, defaultNamespace: String) throws(ManifestError) -> Secret {
        var secret = try Secret(node: document.root)
        // As kubeseal: --name renames the Secret (and so its strict-scope label) in normal sealing too.
        if let name = context.sealing.name, !name.isEmpty { secret.metadata.name = name }
        if let own = secret.metadata.namespace {
            if let flag = context.sealing.namespace, !flag.isEmpty, flag != own {
                throw ManifestError("the Secret's namespace \"\(own)\" contradicts --namespace \"\(flag)\"")
            }
        } else if (scope ?? SealingScope(annotations: secret.metadata.annotations)) != .clusterWide {
            // As kubeseal: a cluster-wide Secret needs no namespace and gets none it did not have.
            secret.metadata.namespace = defaultNamespace
        }
        return secret
    }

    private func merge(_ documents: [YAMLReader.Document], from input: InputFile, into path: String, sealer: Sealer) throws(CLIFailure) {
        guard documents.count == 1 else {
            throw CLIFailure("\(input.source): --merge-into takes exactly one Secret, found \(documents.count) documents")
        }
        let existingFile = try InputFile.read(path)
        let existingDocuments = try existingFile.documents()
        guard existingDocuments.count == 1 else {
            throw CLIFailure("\(path): --merge-into needs a file with exactly one SealedSecret, found \(existingDocuments.count) documents")
        }
        let existing: SealedSecret
        do { existing = try SealedSecret(node: existingDocuments[0].root) } catch {
            throw CLIFailure(source: path, error.inDocument(existingDocuments[0].index))
        }
        let merged: SealedSecret
        do throws(ManifestError) {
            let secret = try Secret(node: documents[0].root)
            if let own = secret.metadata.namespace, let target = existing.metadata.namespace, own != target {
                throw ManifestError("the Secret's namespace \"\(own)\" differs from the SealedSecret's \"\(target)\"")
            }
            merged = try sealer.merge(secret, into: existing)
        } catch {
            throw CLIFailure(source: input.source, error.inDocument(documents[0].index))
        }
        let format = context.io.format ?? OutputFormat.detect(existingFile.bytes)
        try OutputTarget(path: path).write(try format.render([merged.node()]))
    }
}
