import Foundation
import Testing

/// kubeseal's `--re-encrypt -f FILE` without `-w`: the file is rewritten in place, atomically.
extension SerialSuites {
@Suite("Re-encrypt in place", .serialized)
struct ReEncryptInPlaceTests {
    @Test("--re-encrypt -f FILE rewrites FILE, keeping its YAML format") func inPlace() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        try await cluster.installReferenceKey()
        let controller = try cluster.startController()
        try await cluster.installService(targetPort: controller.apiPort)
        try await cluster.eventually("the controller to be ready") { try await controller.get("/healthz").status == 200 }

        let sealed = try await cluster.sealkit(["--cert", "cert.pem", "-w", "sealed.yaml"], stdin: CLITests.secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        let before = try cluster.workspace.read("sealed.yaml")
        let result = try await cluster.sealkit(["--re-encrypt", "-f", "sealed.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing on stdout: the file is the output")
        let after = try cluster.workspace.read("sealed.yaml")
        #expect(after != before, "new ciphertext")
        #expect(after.hasPrefix("---\napiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\n"))
        let unsealed = try cluster.workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-f", "sealed.yaml"])
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cluster.workspace.url.path).allSatisfy { !$0.contains(".tmp") })
    }
}
}
