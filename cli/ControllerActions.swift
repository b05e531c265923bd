import SealKit

/// `--validate`: asks the controller whether it can decrypt each input SealedSecret. Prints
/// nothing and exits 0 when all can be; otherwise names the first that cannot.
struct ValidateSealedSecrets {
    let context: CommandContext

    func run() async throws(CLIFailure) {
        let input = try InputFile.read(context.io.input)
        let documents = try SealedSecretDocuments.read(input)
        try await ControllerProxy.with(context.connection, standardInputInUse: context.standardInputInUse) { controller throws(CLIFailure) in
            for document in documents {
                guard try await controller.verify(JSONWriter.write(document.root, pretty: false)) else {
                    throw CLIFailure("\(input.source): document \(document.index): unable to decrypt sealed secret")
                }
            }
        }
    }
}

/// `--re-encrypt`: has the controller re-seal each input SealedSecret with its newest key.
struct ReEncryptSealedSecrets {
    let context: CommandContext

    func run() async throws(CLIFailure) {
        let input = try InputFile.read(context.io.input)
        let documents = try SealedSecretDocuments.read(input)
        var answers: [[UInt8]] = []
        try await ControllerProxy.with(context.connection, standardInputInUse: context.standardInputInUse) { controller throws(CLIFailure) in
            for document in documents {
                answers.append(try await controller.rotate(JSONWriter.write(document.root, pretty: false)))
            }
        }
        var output: [Node] = []
        for (document, answer) in zip(documents, answers) {
            do {
                guard let root = try YAMLReader.manifests(answer).first?.root else {
                    throw CLIFailure("the controller returned no object")
                }
                // Keep only what belongs in git: no server-set metadata from the round trip.
                var sealed = try SealedSecret(node: root)
                sealed.metadata.removeServerSetFields()
                output.append(sealed.node())
            } catch {
                throw CLIFailure("\(input.source): document \(document.index): controller answer: \(CLIFailure.describe(error))")
            }
        }
        // As kubeseal: `--re-encrypt -f FILE` without `-w` rewrites FILE in place (atomically).
        let target = context.io.output ?? context.io.input.flatMap { $0 == "-" ? nil : $0 }
        let format = OutputFormat.resolve(context.io.format, path: target)
        try OutputTarget(path: target).write(try format.render(output))
    }
}

/// Reads the input and checks that every document is a SealedSecret before anything is sent.
enum SealedSecretDocuments {
    static func read(_ input: InputFile) throws(CLIFailure) -> [YAMLReader.Document] {
        let documents = try input.documents()
        guard !documents.isEmpty else { throw CLIFailure("\(input.source): no SealedSecret found in the input") }
        for document in documents {
            do { _ = try SealedSecret(node: document.root) } catch {
                throw CLIFailure(source: input.source, error.inDocument(document.index))
            }
        }
        return documents
    }
}
