import ArgumentParser
import Foundation
import SealKit

/// `sealkit guard [PATH...]`: stop plaintext Secrets, private keys and credentials before they
/// reach git — as a pre-commit hook (`--staged`) or a CI step over the whole tree.
struct GuardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guard",
        abstract: "Find plaintext Secrets, private keys and credentials before they are committed.",
        discussion: """
            Scans files and directories (default: the current directory; .git and git-ignored \
            files are skipped), or with --staged exactly what is staged for commit. Finds \
            Kubernetes Secrets with data or stringData (also inside Lists and multi-document \
            files), files that .sealkit.yaml's requireSealed says may hold only SealedSecrets, \
            PEM private keys (also base64-encoded) and PKCS#12 files, and credential formats: \
            AWS access keys, GitHub, GitLab, Slack, Google, Stripe and npm tokens, URLs with a \
            password. Findings name the file, line and rule, never the secret.

            Accept a finding with an allow entry in .sealkit.yaml (path, rules, and a reason). \
            --list-rules shows the rule ids.

            \(FindingOutput.exitStatusHelp)

            As a git pre-commit hook (the README has a one-line install), the hook runs:
              exec sealkit guard --staged
            With the pre-commit framework: hook id sealkit-guard (.pre-commit-hooks.yaml).
            """
    )

    @Argument(help: "Files or directories to scan (default: the current directory; with --staged, limits the staged files).")
    var paths: [String] = []

    @Flag(help: "Scan the content staged for commit (git diff --cached), not the working tree.")
    var staged = false

    @OptionGroup(title: "Repository policy")
    var policy: PolicyOptions

    @Option(help: ArgumentHelp("text (file:line: message), json, or sarif (SARIF 2.1.0 for code scanning).", valueName: "format"))
    var output: FindingOutput = .text

    @Flag(help: "List the rules and exit.")
    var listRules = false

    func run() async throws {
        if listRules {
            try Console.out(Array(GuardRules.all.map { "\($0.id)\t\($0.summary)\n" }.joined().utf8))
            return
        }
        try FindingOutput.finish { () throws(CLIFailure) -> Int32 in
            var findings: [Finding] = []
            let count: Int
            if staged {
                let root = try StagedFiles.root()
                let scanner = RepositoryGuard(policy: try stagedPolicy(root: root))
                count = try ScannedFile.staged(paths, root: root, policy: scanner.policy) { file in
                    findings += scanner.scan(file.bytes, file: file.display, relativePath: file.relativePath)
                }
            } else {
                let scanner = RepositoryGuard(policy: try policy.load(discoveringFrom: "."))
                count = try ScannedFile.workingTree(paths, extensions: nil, policy: scanner.policy) { file in
                    findings += scanner.scan(file.bytes, file: file.display, relativePath: file.relativePath)
                }
            }
            return try output.emit(FindingReport(tool: "sealkit guard", rules: GuardRules.all, findings: findings, filesScanned: count))
        }
    }

    /// `--policy`, else the staged `.sealkit.yaml` (what is being committed), else the one on disk.
    private func stagedPolicy(root: String) throws(CLIFailure) -> RepositoryPolicy? {
        guard !policy.disabled else { return nil }
        if let file = policy.file { return try PolicyOptions.load(file) }
        if let bytes = StagedFiles.policyContent(root: root) {
            do { return try RepositoryPolicy(bytes: bytes, root: root) } catch {
                throw CLIFailure("\(RepositoryPolicy.fileName) (staged): \(error.description)")
            }
        }
        return try policy.load(discoveringFrom: ".")
    }
}
