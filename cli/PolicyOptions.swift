import ArgumentParser
import Foundation
import SealKit

/// `--policy` and `--no-policy`, shared by sealing, `guard` and `lint` (one type, so the value
/// parsed by the root command reaches the subcommand too).
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policy"),
            help: ArgumentHelp("Repository policy file (default: \(RepositoryPolicy.fileName) in the current or output directory, or above it up to the git root).",
                               valueName: "file"))
    var file: String?

    @Flag(name: .customLong("no-policy"), help: "Ignore \(RepositoryPolicy.fileName).")
    var disabled = false

    /// The policy: `--policy`, else the nearest `.sealkit.yaml` from `directory` up to the
    /// repository root; nil with `--no-policy` or when there is none.
    func load(discoveringFrom directory: String) throws(CLIFailure) -> RepositoryPolicy? {
        guard !disabled else { return nil }
        guard let path = file ?? RepositoryPolicy.discover(from: directory) else { return nil }
        return try Self.load(path)
    }

    static func load(_ path: String) throws(CLIFailure) -> RepositoryPolicy {
        do { return try RepositoryPolicy.load(path: path) } catch {
            throw CLIFailure("\(path): \(error.description)")
        }
    }
}

/// The sealing command's repository options: which policy, and which of its clusters.
struct RepositoryOptions: ParsableArguments {
    @OptionGroup var policy: PolicyOptions

    @Flag(name: .customLong("all-clusters"),
          help: "Seal for every cluster the policy's rules name: one SealedSecret per cluster in each rule's overlay directory; -w gives the file name.")
    var allClusters = false

    @Option(name: .customLong("policy-cluster"),
            help: ArgumentHelp("Seal for this cluster of the policy (needed when the rule for -w names several).", valueName: "name"))
    var policyCluster: String?

    /// What the policy says about sealing to `target` (the `-w` or `--merge-into` file), or
    /// nil when it has no say: no policy, or a path no rule covers and no `--policy-cluster`.
    func choice(for target: String?, explicitScope: SealingScope?) throws(CLIFailure) -> PolicyClusterChoice? {
        guard target != nil || policyCluster != nil || policy.file != nil else { return nil }
        let directory = target.map { ($0 as NSString).deletingLastPathComponent } ?? ""
        guard let loaded = try policy.load(discoveringFrom: directory.isEmpty ? "." : directory) else {
            if let policyCluster {
                throw CLIFailure("--policy-cluster \(policyCluster): no \(RepositoryPolicy.fileName) found here or above (pass --policy FILE)")
            }
            return nil
        }
        return try PolicyClusterChoice.resolve(policy: loaded, target: target, clusterName: policyCluster, explicitScope: explicitScope)
    }
}
