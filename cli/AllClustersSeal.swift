import Foundation
import SealKit

/// `--all-clusters -w FILE`: the input Secret(s) sealed once per cluster the policy's rules
/// name, each copy written as FILE into the rule's overlay directory with the rule's scope and
/// the cluster's pinned certificate. A rule naming several clusters gets one subdirectory per
/// cluster (`overlays/nonprod/dev/FILE`). Everything is sealed before anything is written, so
/// an error (an unreachable cluster, a pin mismatch) leaves every overlay as it was.
struct AllClustersSeal {
    let context: CommandContext
    let repository: RepositoryOptions

    private struct Target {
        var rule: RepositoryPolicy.Rule
        var cluster: RepositoryPolicy.Cluster
        var relativePath: String
    }

    func run() async throws(CLIFailure) {
        guard let fileName = context.io.output else {
            throw CLIFailure("--all-clusters needs -w FILE: the file name written into each overlay")
        }
        guard let policy = try repository.policy.load(discoveringFrom: ".") else {
            throw CLIFailure("--all-clusters needs \(RepositoryPolicy.fileName) in this directory or above (or --policy FILE)")
        }
        let parts = fileName.split(separator: "/").map(String.init)
        guard !fileName.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
            throw CLIFailure("-w \(fileName): with --all-clusters, -w is a file name relative to each overlay directory")
        }
        let targets = try plan(policy, fileName: parts.joined(separator: "/"))

        let input = try InputFile.read(context.io.input)
        let documents = try input.documents()
        guard !documents.isEmpty else { throw CLIFailure("\(input.source): no Secret found in the input") }
        let defaultNamespace = try context.defaultNamespace()
        let sealing = SealSecrets(context: context)

        var certificates: [String: Certificate] = [:]
        var outputs: [(target: Target, bytes: [UInt8])] = []
        for target in targets {
            if certificates[target.cluster.name] == nil {
                let choice = PolicyClusterChoice(policy: policy, policyFile: policy.absolutePath(RepositoryPolicy.fileName),
                                                 cluster: target.cluster, rule: target.rule)
                certificates[target.cluster.name] = try await choice.certificate(override: nil, connection: context.connection,
                                                                                 standardInputInUse: context.standardInputInUse)
            }
            let sealer = Sealer(publicKey: certificates[target.cluster.name]!.publicKey)
            let sealed = try sealing.seal(documents, from: input, with: sealer, scope: target.rule.scope, defaultNamespace: defaultNamespace)
            let format = OutputFormat.resolve(context.io.format, path: target.relativePath)
            outputs.append((target, try format.render(sealed)))
        }
        for (target, bytes) in outputs {
            let path = policy.absolutePath(target.relativePath)
            let directory = (path as NSString).deletingLastPathComponent
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw CLIFailure("cannot create \(directory): \(error.localizedDescription)")
            }
            try OutputTarget(path: path).write(bytes)
            Console.err("wrote \(target.relativePath) (cluster \(target.cluster.name), \(target.rule.scope))\n")
        }
    }

    /// Where each copy goes: one per (rule with an overlay directory, cluster of that rule).
    private func plan(_ policy: RepositoryPolicy, fileName: String) throws(CLIFailure) -> [Target] {
        var targets: [Target] = []
        var seen: [String: Int] = [:]
        for rule in policy.rules {
            guard let overlay = rule.overlayDirectory else {
                Console.err("note: rule \(rule.number) (\(rule.path)) names no single directory; add overlay: DIR to it to have --all-clusters write there\n")
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: policy.absolutePath(overlay), isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CLIFailure("rule \(rule.number) (\(rule.path)) in \(RepositoryPolicy.fileName): overlay directory \(overlay) does not exist")
            }
            for name in rule.clusters {
                let relative = rule.clusters.count == 1 ? "\(overlay)/\(fileName)" : "\(overlay)/\(name)/\(fileName)"
                // The copy must be governed by the rule that put it there, or lint and the next
                // `sealkit -w` would judge it by another rule.
                guard policy.rule(for: relative)?.number == rule.number else {
                    let other = policy.rule(for: relative).map { "rule \($0.number) (\($0.path))" } ?? "no rule"
                    throw CLIFailure("rule \(rule.number) (\(rule.path)) would write \(relative), but \(other) governs that path; "
                        + "choose a -w name the rule's pattern matches, or set overlay:")
                }
                if let previous = seen[relative] {
                    throw CLIFailure("rules \(previous) and \(rule.number) would both write \(relative)")
                }
                seen[relative] = rule.number
                targets.append(Target(rule: rule, cluster: policy.cluster(named: name)!, relativePath: relative))
            }
        }
        guard !targets.isEmpty else {
            throw CLIFailure("no rule in \(RepositoryPolicy.fileName) names an overlay directory to write into")
        }
        return targets
    }
}
