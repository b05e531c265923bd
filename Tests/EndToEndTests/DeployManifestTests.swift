import Foundation
import Testing

/// `controller/deploy` must render with kubectl's built-in kustomize, and say what it promises:
/// least privilege, non-root, read-only root filesystem, the Service kubeseal looks for.
@Suite("Deploy manifests")
struct DeployManifestTests {
    static let kubectl = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("kubectl kustomize renders the base and the example overlay",
          .enabled(if: kubectl != nil || ProcessInfo.processInfo.environment["CI"] != nil))
    func renders() throws {
        let kubectl = try #require(Self.kubectl, "kubectl is required in CI")
        let base = try run(URL(fileURLWithPath: kubectl), ["kustomize", "controller/deploy"], in: Self.root)
        #expect(base.status == 0, "\(base.stderr)")
        let manifest = base.stdout
        for expected in ["kind: CustomResourceDefinition", "name: sealedsecrets.bitnami.com", "status: {}",
                         "kind: Deployment", "replicas: 2", "runAsNonRoot: true", "readOnlyRootFilesystem: true",
                         "name: sealed-secrets-controller", "- name: http", "port: 8080", "path: /healthz", "path: /readyz",
                         "kind: PodDisruptionBudget", "app.kubernetes.io/component: metrics",
                         // Bitnami's CRD schema: required spec, typed template metadata, its printer columns.
                         "jsonPath: .status.conditions[0].message", "required:\n        - spec",
                         "controller-gen.kubebuilder.io/version: v0.15.0", "finalizers:",
                         "kind: ClusterRole", "resources:\n  - leases"] {
            #expect(manifest.contains(expected), "rendered base should contain \(expected)")
        }
        // Least privilege: no wildcards anywhere in the RBAC rules.
        #expect(!manifest.contains("- '*'"))
        #expect(!manifest.contains("- \"*\""))

        let overlay = try run(URL(fileURLWithPath: kubectl), ["kustomize", "controller/deploy/overlays/example"], in: Self.root)
        #expect(overlay.status == 0, "\(overlay.stderr)")
        #expect(overlay.stdout.contains("replicas: 3"))

        let everything = try run(URL(fileURLWithPath: kubectl), ["kustomize", "controller/deploy/overlays/all-components"], in: Self.root)
        #expect(everything.status == 0, "\(everything.stderr)")
        for kind in ["NetworkPolicy", "ServiceMonitor", "Ingress", "PodDisruptionBudget"] {
            #expect(everything.stdout.contains("kind: \(kind)\n"), "components should add a \(kind)")
        }
        #expect(!everything.stdout.contains("kind: ClusterRoleBinding"), "per-namespace mode has no cluster-wide grant")

        let swap = try run(URL(fileURLWithPath: kubectl), ["kustomize", "controller/deploy/bitnami-swap"], in: Self.root)
        #expect(swap.status == 0, "\(swap.stderr)")
        #expect(swap.stdout.contains("resources:\n  - leases") && swap.stdout.contains("namespace: kube-system"))
    }
}
