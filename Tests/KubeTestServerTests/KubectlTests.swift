import TestSupport
import Foundation
import KubeTestServer
import Testing

/// The real `kubectl` against the server over HTTPS, through the commands a SealKit user
/// runs. Without kubectl at /usr/bin/kubectl these tests are skipped, except in CI (`CI` set),
/// where they fail.
@Suite(.enabled(if: Kubectl.isAvailable || Kubectl.isRequired, "kubectl is not installed"), .timeLimit(.minutes(1)))
struct KubectlTests {
    private func httpsServer(_ pki: TestCertificates, tokens: Set<String> = [], clientCA: Bool = false) -> (inout KubeAPIServer.Configuration) -> Void {
        { configuration in
            configuration.tls = .init(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM,
                                      clientCAPEM: clientCA ? pki.caPEM : nil)
            configuration.bearerTokens = tokens
        }
    }

    @Test func createGetApplyAndDeleteWithAToken() async throws {
        try #require(Kubectl.isAvailable, "kubectl must be installed at \(Kubectl.path) in CI")
        let pki = try await TestCertificates.shared
        try await TestCluster.run(configure: httpsServer(pki, tokens: ["kubectl-token"])) { cluster async throws in
            let kubectl = try Kubectl(server: cluster.url, caPEM: pki.caPEM, credential: .token("kubectl-token"))
            defer { kubectl.cleanUp() }
            try kubectl.write("secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: app-secret
                  namespace: ns
                  labels:
                    app: demo
                type: Opaque
                stringData:
                  password: s3cr3t
                """)
            func writeSealedSecret(_ ciphertext: String) throws {
                try kubectl.write("sealedsecret.yaml", """
                    apiVersion: bitnami.com/v1alpha1
                    kind: SealedSecret
                    metadata:
                      name: app-sealed
                      namespace: ns
                    spec:
                      encryptedData:
                        password: \(ciphertext)
                      template:
                        metadata:
                          name: app-sealed
                          namespace: ns
                    """)
            }

            #expect(try await kubectl("create", "-f", "secret.yaml").standardOutput == "secret/app-secret created\n")

            let listed = try JSONValue(parsing: try await kubectl("get", "secrets", "-n", "ns", "-o", "json").standardOutput)
            let item = try #require(listed["items"]?.arrayValue?.first)
            #expect(item.string("metadata", "name") == "app-secret")
            #expect(item.string("data", "password") == Data("s3cr3t".utf8).base64EncodedString())
            #expect(item["stringData"] == nil)

            try writeSealedSecret("AgBy3i4OJSWK+PiTySYZZA==")
            #expect(try await kubectl("apply", "--validate=false", "-f", "sealedsecret.yaml").standardOutput
                    == "sealedsecret.bitnami.com/app-sealed created\n")
            try writeSealedSecret("AgCchanged+PiTySYZZA==")
            #expect(try await kubectl("apply", "--validate=false", "-f", "sealedsecret.yaml").standardOutput
                    == "sealedsecret.bitnami.com/app-sealed configured\n")
            let stored = try #require(try await cluster.server.get(.sealedSecrets, namespace: "ns", name: "app-sealed"))
            #expect(stored.string("spec", "encryptedData", "password") == "AgCchanged+PiTySYZZA==")
            #expect(stored["metadata"]?["generation"] == 2, "the second apply patched the spec")
            #expect(!stored.string("metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration").isEmpty)

            let lines = try await kubectl("get", "sealedsecrets", "-n", "ns").standardOutput.split(separator: "\n")
            #expect(lines.first?.split(separator: " ") == ["NAME", "STATUS", "SYNCED", "AGE"])
            #expect(lines.dropFirst().first?.hasPrefix("app-sealed") == true)

            #expect(try await kubectl("delete", "sealedsecret", "app-sealed", "-n", "ns").standardOutput
                    == "sealedsecret.bitnami.com \"app-sealed\" deleted\n")
            #expect(try await kubectl("delete", "secret", "app-secret", "-n", "ns").standardOutput
                    == "secret \"app-secret\" deleted\n")
            #expect(try await cluster.server.list(.secrets, namespace: "ns").isEmpty)
            #expect(try await cluster.server.list(.sealedSecrets, namespace: "ns").isEmpty)
        }
    }

    /// Typed subcommands send protobuf bodies; a client certificate authenticates.
    @Test func typedCreateCommandsWithAClientCertificate() async throws {
        try #require(Kubectl.isAvailable, "kubectl must be installed at \(Kubectl.path) in CI")
        let pki = try await TestCertificates.shared
        try await TestCluster.run(configure: httpsServer(pki, clientCA: true)) { cluster async throws in
            let kubectl = try Kubectl(
                server: cluster.url, caPEM: pki.caPEM,
                credential: .clientCertificate(certificatePEM: pki.clientCertificatePEM, keyPEM: pki.clientKeyPEM))
            defer { kubectl.cleanUp() }

            try await kubectl("create", "namespace", "kube-system")
            try await kubectl("create", "secret", "generic", "creds", "-n", "kube-system",
                              "--from-literal=user=admin", "--from-literal=empty=")
            try await kubectl("create", "configmap", "settings", "-n", "kube-system", "--from-literal=mode=strict")
            try await kubectl("create", "service", "clusterip", "sealed-secrets-controller", "-n", "kube-system",
                              "--tcp=8080:8080")

            let secret = try #require(try await cluster.server.get(.secrets, namespace: "kube-system", name: "creds"))
            #expect(secret["data"] == ["user": .string(Data("admin".utf8).base64EncodedString()), "empty": ""])
            #expect(secret.string("type") == "Opaque")
            let configMap = try #require(try await cluster.server.get(.configMaps, namespace: "kube-system", name: "settings"))
            #expect(configMap["data"] == ["mode": "strict"])
            let service = try #require(try await cluster.server.get(.services, namespace: "kube-system", name: "sealed-secrets-controller"))
            #expect(service.value("spec", "ports")?.arrayValue?.first?["targetPort"] == 8080)
            #expect(service.value("spec", "selector") == ["app": "sealed-secrets-controller"])

            let services = try await kubectl("get", "services", "-n", "kube-system").standardOutput
            #expect(services.contains("sealed-secrets-controller   ClusterIP   10.96."))
            try await kubectl("delete", "namespace", "kube-system")
            #expect(try await cluster.server.list(.secrets).isEmpty)
        }
    }

    /// `kubectl apply` of the CRD in controller/deploy, and the wait install scripts do after it.
    @Test func applyingTheSealedSecretCRD() async throws {
        try #require(Kubectl.isAvailable, "kubectl must be installed at \(Kubectl.path) in CI")
        let pki = try await TestCertificates.shared
        let crd = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("controller/deploy/base/crd.yaml")
        try await TestCluster.run(configure: httpsServer(pki, tokens: ["kubectl-token"]), clientTLS: try TestCluster.clientTLS(pki),
                                  token: "kubectl-token") { cluster async throws in
            let kubectl = try Kubectl(server: cluster.url, caPEM: pki.caPEM, credential: .token("kubectl-token"))
            defer { kubectl.cleanUp() }
            #expect(try await kubectl("apply", "-f", crd.path).standardOutput
                    == "customresourcedefinition.apiextensions.k8s.io/sealedsecrets.bitnami.com created\n")
            #expect(try await kubectl("apply", "-f", crd.path).standardOutput
                    == "customresourcedefinition.apiextensions.k8s.io/sealedsecrets.bitnami.com unchanged\n")
            try await kubectl("wait", "--for", "condition=established", "--timeout=5s", "crd/sealedsecrets.bitnami.com")
            let lines = try await kubectl("get", "crds").standardOutput.split(separator: "\n")
            #expect(lines.first?.split(separator: " ") == ["NAME", "CREATED", "AT"])
            #expect(lines.dropFirst().first?.hasPrefix("sealedsecrets.bitnami.com") == true)
            let stored = try #require(try await cluster.server.get(.customResourceDefinitions, namespace: nil,
                                                                   name: "sealedsecrets.bitnami.com"))
            #expect(stored.value("status", "acceptedNames", "listKind") == "SealedSecretList")
            #expect(stored.value("status", "storedVersions") == ["v1alpha1"])
            #expect(stored.value("metadata", "generation") == 1)

            // The name must be <plural>.<group>, as the real server checks.
            var renamed = stored
            renamed["metadata"] = ["name": "sealedsecrets.example.com"]
            renamed["status"] = nil
            let refused = try await cluster.client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", renamed)
            #expect(refused.status == 422)
            #expect(try refused.json.string("message").contains(#"metadata.name: Invalid value: "sealedsecrets.example.com": must be spec.names.plural+"."+spec.group"#),
                    "\(refused.text)")
        }
    }
}
