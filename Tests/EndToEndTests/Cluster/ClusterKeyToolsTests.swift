import Foundation
import KubeClient
import SealKit
import Testing

/// The CLI's cluster-backed key tools: `reseal --online` through the controller's
/// `/v1/rotate`, `keys inspect` and `keys backup` from the cluster.
extension SerialSuites {
@Suite("Cluster key tools", .serialized, .enabled(if: TestCluster.kubectlPath != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct ClusterKeyToolsTests {
    @Test("reseal --online, keys inspect and keys backup against a running controller") func keyTools() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        try await cluster.installReferenceKey()
        let controller = try cluster.startController()
        try await cluster.installService(targetPort: controller.apiPort)
        try await cluster.eventually("ready") { try await controller.get("/readyz").status == 200 }

        // A small repository, as a git checkout with an ignored file.
        let workspace = cluster.workspace
        try FileManager.default.createDirectory(at: workspace.path("repo"), withIntermediateDirectories: true)
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: app, namespace: prod}\nstringData: {password: online-Qw3}\n"
        let sealed = try await cluster.sealkit(["-o", "yaml"], stdin: secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        try workspace.write("repo/app.yaml", "# keep this comment\n" + sealed.stdout)
        try workspace.write("repo/ignored.yaml", sealed.stdout)
        try workspace.write("repo/.gitignore", "ignored.yaml\n")
        _ = try run(URL(fileURLWithPath: "/usr/bin/env"), ["git", "init", "-q", "."], in: workspace.path("repo"))

        // Generate a new key in the cluster (SIGUSR1), then re-seal through the controller.
        kill(controller.process.processIdentifier, SIGUSR1)
        try await cluster.eventually("a second key") {
            try await cluster.client.list(.secrets, namespace: "kube-system", options: ListOptions(labelSelector: KeySecrets.keyLabel)).items.count == 2
        }
        let newest = try await cluster.sealkit(["--fetch-cert"])
        let newCertificate = try Certificate(pem: newest.stdout)
        try await cluster.eventually("the controller to seal with the new key") {
            try Certificate(pem: try await cluster.sealkit(["--fetch-cert"]).stdout).publicKey == newCertificate.publicKey
        }
        let before = try workspace.read("repo/app.yaml")
        let resealed = try await cluster.sealkit(["reseal", "repo", "--online"])
        #expect(resealed.status == 0, "\(resealed.stderr)")
        #expect(resealed.stderr.contains("files scanned 1, SealedSecrets 1, items re-sealed 1"), "the ignored file is skipped")
        let after = try workspace.read("repo/app.yaml")
        #expect(after != before)
        #expect(after.hasPrefix("# keep this comment\n"))
        #expect(try workspace.read("repo/ignored.yaml") == sealed.stdout)

        // Inspect and back up the cluster's keys; the backup unseals the re-sealed file.
        let inspected = try await cluster.sealkit(["keys", "inspect"])
        #expect(inspected.status == 0, "\(inspected.stderr)")
        #expect(inspected.stdout.contains(newCertificate.publicKey.fingerprint))
        #expect(inspected.stdout.contains("newest (seals)"))
        let backup = try await cluster.sealkit(["keys", "backup", "backup.yaml"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.path("backup.yaml").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let unsealed = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "backup.yaml", "-f", "repo/app.yaml"])
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        #expect(unsealed.stdout.contains(Base64.encode(Array("online-Qw3".utf8))))
        // Only the new key opens it now.
        let newOnly = Unsealer(keys: try KeySecrets.privateKeys(from: Array(try Data(contentsOf: workspace.path("backup.yaml")))))
        let document = try YAMLReader.manifests(Array(after.utf8))[0]
        #expect(try newOnly.decryptItems(try SealedSecret(node: document.root)).count == 1)
        cluster.expectLogsFree(of: ["online-Qw3", "PRIVATE KEY"])
    }
}
}
