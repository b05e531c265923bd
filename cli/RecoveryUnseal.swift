import SealKit

/// `--recovery-unseal`: decrypt SealedSecrets offline with backed-up private keys, producing
/// the Secrets the controller would write. For disaster recovery; the output holds plaintext.
struct RecoveryUnseal {
    let context: CommandContext

    func run() throws(CLIFailure) {
        let keys = try context.recoveryKeys()
        let input = try InputFile.read(context.io.input)
        let documents = try input.documents()
        guard !documents.isEmpty else { throw CLIFailure("\(input.source): no SealedSecret found in the input") }
        let unsealer = Unsealer(keys: keys, templates: SecretDataTemplates(), budget: .offline, revealsContentErrors: true)
        var secrets: [Node] = []
        // The keys that opened one object are tried first for the next: a backup of many
        // objects sealed to one old key costs one RSA operation per value, not one per key.
        var hint: [Int] = []
        for document in documents {
            do {
                let sealed = try SealedSecret(node: document.root)
                let outcome = try unsealer.unsealReportingKeys(sealed, preferredKeys: hint)
                hint = Array(outcome.keysUsed) + hint.filter { !outcome.keysUsed.contains($0) }
                secrets.append(outcome.secret.node())
            } catch {
                throw CLIFailure(source: input.source, error.inDocument(document.index))
            }
        }
        let format = OutputFormat.resolve(context.io.format, path: context.io.output)
        // The output is plaintext: the file is owner-only, even if it existed with a wider mode.
        try OutputTarget(path: context.io.output).write(try format.render(secrets), confidential: true)
    }
}
