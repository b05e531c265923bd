import SealKit

/// `--raw`: seal one value and print the ciphertext (no newline, as kubeseal prints it), for
/// pasting into an existing SealedSecret's `encryptedData`.
struct RawSeal {
    let context: CommandContext

    func run() async throws(CLIFailure) {
        let scope = context.scope ?? .strict
        guard context.sealing.fromFile.count <= 1 else {
            throw CLIFailure("--raw seals one value; pass --from-file at most once")
        }
        let path = context.sealing.fromFile.first.map { spec -> String in
            // kubectl's `[key=]path` form: the key is irrelevant for a raw value.
            guard let separator = spec.firstIndex(of: "="), !spec.hasPrefix("/") else { return spec }
            return String(spec[spec.index(after: separator)...])
        }
        let namespace: String? = scope == .clusterWide ? context.sealing.namespace : try context.defaultNamespace()
        if scope == .strict, (context.sealing.name ?? "").isEmpty {
            throw CLIFailure("--raw with strict scope needs --name (or use --scope namespace-wide / cluster-wide)")
        }
        let certificate = try await context.certificate()
        let input = try InputFile.read(path)
        let value = SecretBytes(input.bytes)
        let ciphertext: String
        do {
            ciphertext = try Sealer(publicKey: certificate.publicKey)
                .sealRaw(value, scope: scope, namespace: namespace, name: context.sealing.name)
        } catch {
            throw CLIFailure(source: input.source, error)
        }
        try OutputTarget(path: context.io.output).write(Array(ciphertext.utf8))
    }
}
