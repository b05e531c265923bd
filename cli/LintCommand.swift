import ArgumentParser
import Foundation
import SealKit

/// `sealkit lint [PATH...]`: check SealedSecrets offline — no cluster, no private key — for
/// what would make the controller fail later ("no key could decrypt secret") or deploy the
/// wrong thing, and the policy file itself.
struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check SealedSecrets offline: parsing, ciphertext framing and key size, scopes, namespaces.",
        discussion: """
            Reads YAML and JSON files under the given paths (default: the current directory; \
            .git and git-ignored files are skipped). For every SealedSecret (also inside Lists): \
            it parses; every encryptedData value is base64 with a 2-byte length prefix, an RSA \
            part and an AES-GCM tag; the RSA part fits the key size of the cluster the policy \
            assigns to the path (at least 2048 bits without a policy); the scope annotations of \
            metadata and spec.template.metadata agree (the controller reads only the top level: \
            a difference is the commonest cause of "no key could decrypt secret") and match the \
            policy's rule; strict and namespace-wide objects have a namespace; the template has \
            no kubectl last-applied-configuration. With a policy, its certificate files are \
            checked against their pins and keyBits.

            \(FindingOutput.exitStatusHelp)
            """
    )

    @Argument(help: "Files or directories to check (default: the current directory).")
    var paths: [String] = []

    @OptionGroup(title: "Repository policy")
    var policy: PolicyOptions

    @Option(help: ArgumentHelp("text (file:line: message), json, or sarif (SARIF 2.1.0 for code scanning).", valueName: "format"))
    var output: FindingOutput = .text

    @Flag(help: "List the rules and exit.")
    var listRules = false

    func run() async throws {
        if listRules {
            try Console.out(Array(LintRules.all.map { "\($0.id)\t\($0.summary)\n" }.joined().utf8))
            return
        }
        try FindingOutput.finish { () throws(CLIFailure) -> Int32 in
            let loaded = try policy.load(discoveringFrom: ".")
            let policyFile = loaded.map { policyDisplayName($0) } ?? RepositoryPolicy.fileName
            let linter = SealedSecretLinter(policy: loaded, policyFile: policyFile)
            var findings = linter.policyFindings
            let count = try ScannedFile.workingTree(paths, extensions: RepositoryWalker.extensions, policy: loaded) { file in
                findings += linter.lint(file.bytes, file: file.display, relativePath: file.relativePath)
            }
            return try output.emit(FindingReport(tool: "sealkit lint", rules: LintRules.all, findings: findings, filesScanned: count))
        }
    }

    /// The policy file as findings name it: `.sealkit.yaml` when it is in the current
    /// directory, else its full path.
    private func policyDisplayName(_ loaded: RepositoryPolicy) -> String {
        if let file = policy.file { return file }
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath().path
        return loaded.root == here ? RepositoryPolicy.fileName : loaded.absolutePath(RepositoryPolicy.fileName)
    }
}
