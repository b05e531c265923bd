import TestSupport
import Foundation
import KubeTestServer
import Testing

/// Runs the real kubectl against a test server with a kubeconfig written for it, isolated
/// from the user's own configuration and caches.
struct Kubectl {
    static let path = "/usr/bin/kubectl"
    static let isAvailable = FileManager.default.isExecutableFile(atPath: path)
    /// CI must have kubectl; elsewhere the kubectl tests are skipped without it.
    static let isRequired = ProcessInfo.processInfo.environment["CI"] != nil

    let directory: URL
    let kubeconfig: URL

    /// Credentials for the kubeconfig's user.
    enum Credential {
        case token(String)
        case clientCertificate(certificatePEM: String, keyPEM: String)
    }

    init(server: URL, caPEM: String, credential: Credential) throws {
        directory = try ProcessRunner.temporaryDirectory("kubectl")
        kubeconfig = directory.appendingPathComponent("kubeconfig")
        let user: String
        switch credential {
        case .token(let token):
            user = "    token: \(token)"
        case .clientCertificate(let certificate, let key):
            user = """
                    client-certificate-data: \(Data(certificate.utf8).base64EncodedString())
                    client-key-data: \(Data(key.utf8).base64EncodedString())
                """
        }
        try """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: \(server.absoluteString)
            certificate-authority-data: \(Data(caPEM.utf8).base64EncodedString())
        users:
        - name: test
          user:
        \(user)
        contexts:
        - name: test
          context:
            cluster: test
            user: test
        current-context: test
        """.write(to: kubeconfig, atomically: true, encoding: .utf8)
    }

    /// Writes a file into the working directory.
    func write(_ name: String, _ contents: String) throws {
        try contents.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    /// Runs kubectl and records an issue unless it exits 0.
    @discardableResult
    func callAsFunction(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        environment["KUBECONFIG"] = nil
        let result = try await ProcessRunner.run(
            Self.path,
            ["--kubeconfig", kubeconfig.path, "--cache-dir", directory.appendingPathComponent("cache").path] + arguments,
            in: directory, environment: environment)
        #expect(result.exitCode == 0, "kubectl \(arguments.joined(separator: " ")): \(result.standardError)",
                sourceLocation: sourceLocation)
        return result
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}
