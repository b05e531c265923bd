import Foundation
import KubeClient
import SealKit
import Testing

/// The built `sealkit` and `sealkit-controller` with a kubeconfig whose user is an exec
/// credential plugin, as on EKS, GKE or AKS.
extension SerialSuites {
@Suite("Exec plugin end to end", .serialized)
struct ExecPluginEndToEndTests {
    /// Replaces the cluster's kubeconfig user with `./plugin.sh`, which counts its runs in
    /// `plugin-runs` and prints the cluster's token.
    static func useExecPlugin(_ cluster: TestCluster) throws {
        try cluster.workspace.write("plugin.sh", """
            #!/bin/sh
            echo run >> "$(dirname "$0")/plugin-runs"
            printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$TOKEN"
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: cluster.workspace.path("plugin.sh").path)
        var kubeconfig = try cluster.workspace.read("kubeconfig")
        kubeconfig = kubeconfig.replacingOccurrences(
            of: "user: {token: \(TestCluster.token)}",
            with: """
                user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1
                      command: ./plugin.sh
                      env: [{name: TOKEN, value: \(TestCluster.token)}]
                      interactiveMode: IfAvailable
                """)
        try cluster.workspace.write("kubeconfig", kubeconfig)
    }

    static func runs(_ cluster: TestCluster) -> Int {
        ((try? cluster.workspace.read("plugin-runs")) ?? "").split(separator: "\n").count
    }

    @Test("sealkit --fetch-cert and sealing without --cert authenticate through the plugin; so does the controller")
    func fetchCertAndSeal() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        try Self.useExecPlugin(cluster)
        try await cluster.installReferenceKey()
        let controller = try cluster.startController()
        try await cluster.installService(targetPort: controller.apiPort)
        try await cluster.eventually("the controller to be ready") { try await controller.get("/healthz").status == 200 }
        let afterController = Self.runs(cluster)
        #expect(afterController == 1, "the controller ran the plugin once and cached the token")

        let fetched = try await cluster.sealkit(["--fetch-cert"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stdout.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(Self.runs(cluster) == afterController + 1, "one run for the Service lookup and the proxied request")

        let sealed = try await cluster.sealkit(["-o", "yaml"], stdin: ControllerEndToEndTests.secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.contains("kind: SealedSecret"))
        #expect(!sealed.stderr.contains(TestCluster.token))
    }

    @Test("a plugin that is not installed: one line with the install hint") func missingPlugin() async throws {
        let cluster = try await TestCluster.start()
        defer { Task { await cluster.stop() } }
        var kubeconfig = try cluster.workspace.read("kubeconfig")
        kubeconfig = kubeconfig.replacingOccurrences(
            of: "user: {token: \(TestCluster.token)}",
            with: """
                user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin-missing,
                           installHint: "Install gke-gcloud-auth-plugin for use with kubectl"}
                """)
        try cluster.workspace.write("kubeconfig", kubeconfig)
        let result = try await cluster.sealkit(["--fetch-cert"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"exec plugin: executable "gke-gcloud-auth-plugin-missing" not found; Install gke-gcloud-auth-plugin for use with kubectl"#))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}
}
