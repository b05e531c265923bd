import Foundation
import SealKit

/// The cluster, and inside a rule's path the scope, that the repository policy chooses for one
/// sealing — and the pinned certificate that goes with it. The pin is checked whatever the
/// certificate's source (file, URL, controller, or an explicit `--cert`): a certificate served
/// by an impostor, or a file swapped in a pull request, seals nothing.
struct PolicyClusterChoice {
    let policy: RepositoryPolicy
    let policyFile: String
    let cluster: RepositoryPolicy.Cluster
    /// The rule covering the output path; nil when the cluster was named with --policy-cluster
    /// for a path no rule covers.
    let rule: RepositoryPolicy.Rule?

    var scope: SealingScope? { rule?.scope }

    static func resolve(policy: RepositoryPolicy, target: String?, clusterName: String?,
                        explicitScope: SealingScope?) throws(CLIFailure) -> PolicyClusterChoice? {
        let policyFile = (policy.root as NSString).appendingPathComponent(RepositoryPolicy.fileName)
        let relative = target.flatMap { policy.relativePath($0) }
        if let relative, let rule = policy.rule(for: relative) {
            let governing = "rule \(rule.number) (\(rule.path)) in \(RepositoryPolicy.fileName)"
            let name: String
            if let clusterName {
                guard rule.clusters.contains(clusterName) else {
                    throw CLIFailure("--policy-cluster \(clusterName): \(governing) seals \(relative) for \(rule.clusters.joined(separator: ", ")) only")
                }
                name = clusterName
            } else {
                guard rule.clusters.count == 1 else {
                    throw CLIFailure("\(governing) seals \(relative) for \(rule.clusters.joined(separator: ", ")); choose one with --policy-cluster, or use --all-clusters")
                }
                name = rule.clusters[0]
            }
            if let explicitScope, explicitScope != rule.scope {
                throw CLIFailure("--scope \(explicitScope) contradicts \(governing), which seals \(relative) \(rule.scope)")
            }
            return PolicyClusterChoice(policy: policy, policyFile: policyFile, cluster: policy.cluster(named: name)!, rule: rule)
        }
        guard let clusterName else { return nil }
        guard let cluster = policy.cluster(named: clusterName) else {
            let known = policy.clusters.map(\.name).joined(separator: ", ")
            throw CLIFailure("--policy-cluster \(clusterName): no such cluster in \(RepositoryPolicy.fileName) (clusters: \(known.isEmpty ? "none" : known))")
        }
        return PolicyClusterChoice(policy: policy, policyFile: policyFile, cluster: cluster, rule: nil)
    }

    /// The cluster's certificate, validated and checked against the pinned fingerprints.
    /// - Parameter override: `--cert`, which must then carry a pinned key too.
    func certificate(override: String?, connection: ConnectionOptions, standardInputInUse: Bool) async throws(CLIFailure) -> Certificate {
        let certificate: Certificate
        let source: String
        if let override {
            certificate = try await CertificateSource.load(override)
            source = "--cert \(override)"
        } else {
            switch cluster.certificate {
            case .file(let relative):
                certificate = try await CertificateSource.load(policy.absolutePath(relative))
                source = relative
            case .url(let url):
                certificate = try await CertificateSource.load(url)
                source = url
            case .controller(let context, let name, let namespace):
                var target = connection
                if let context { target.context = context }
                if let name { target.controllerName = name }
                if let namespace { target.controllerNamespace = namespace }
                let pem = try await ControllerProxy.with(target, standardInputInUse: standardInputInUse) { controller throws(CLIFailure) in
                    try await controller.certificate()
                }
                source = "controller \(target.controllerName) in \(target.controllerNamespace)" + (context.map { " of context \($0)" } ?? "")
                certificate = try CertificateSource.parse(pem, source: "certificate of \(source)")
            }
        }
        let fingerprint = certificate.publicKey.fingerprint
        guard cluster.fingerprints.contains(fingerprint) else {
            let pins = cluster.fingerprints.joined(separator: ", ")
            throw CLIFailure("the certificate for cluster \"\(cluster.name)\" (\(source)) has key fingerprint \(fingerprint), but "
                + "\(policyFile) line \(cluster.line) pins \(pins); refusing to seal. If the controller's key was renewed, "
                + "check the new fingerprint out of band (sealkit keys inspect) and add it to the pin")
        }
        return certificate
    }
}
