import Foundation
import KubeClient
import KubeTestServer
import SealKit
import TestSupport
import Testing

/// A Kubernetes API test server on loopback with a kubeconfig for it, and helpers to run the
/// real `kubectl`, `sealkit` and `sealkit-controller` against it.
final class TestCluster: @unchecked Sendable {
    static let token = "e2e-token"
    static let kubectlPath = ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    let server: KubeAPIServer
    let url: URL
    let workspace: Workspace
    let client: KubeClient
    private var controllers: [ControllerProcess] = []

    private init(server: KubeAPIServer, url: URL, workspace: Workspace, client: KubeClient) {
        self.server = server
        self.url = url
        self.workspace = workspace
        self.client = client
    }

    /// - Parameters:
    ///   - serviceAccountTokens: token → `namespace/name`; requests with these tokens get
    ///     exactly what the RBAC objects applied to the cluster grant.
    ///   - configure: changes to the server's configuration (client CA, basic-auth users,
    ///     another certificate) before it starts.
    static func start(compactionWindow: Int = 1000, serviceAccountTokens: [String: String] = [:],
                      configure: (inout KubeAPIServer.Configuration, TestCertificates) -> Void = { _, _ in }) async throws -> TestCluster {
        // HTTPS, as kubectl sends bearer tokens only over TLS.
        let pki = try await TestCertificates.shared
        var configuration = KubeAPIServer.Configuration()
        configuration.tls = .init(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM)
        configuration.bearerTokens = [token]
        configuration.serviceAccountTokens = serviceAccountTokens
        configuration.compactionWindow = compactionWindow
        configuration.bookmarkInterval = .seconds(1)
        configure(&configuration, pki)
        let server = KubeAPIServer(configuration: configuration)
        let url = try await server.start()
        let workspace = try Workspace()
        try workspace.write("kubeconfig", testKubeconfig(server: url, caPEM: pki.caPEM, token: token, namespace: "default"))
        let client = try KubeClient(connection: ClusterConnection(server: url, certificateAuthorityPEM: Array(pki.caPEM.utf8),
                                                                  credentials: .bearer(TokenSource(token: token))))
        return TestCluster(server: server, url: url, workspace: workspace, client: client)
    }

    /// A cluster with the reference key, one controller started with `arguments`, and the
    /// Service kubeseal looks for, once the controller is ready.
    static func withController(_ arguments: [String] = []) async throws -> (TestCluster, ControllerProcess) {
        let cluster = try await TestCluster.start()
        try await cluster.installReferenceKey()
        let controller = try cluster.startController(arguments)
        try await cluster.installService(targetPort: controller.apiPort)
        try await cluster.eventually("the controller to be ready") { try await controller.get("/readyz").status == 200 }
        return (cluster, controller)
    }

    func stop() async {
        for controller in controllers { await controller.stop() }
        await client.shutdown()
        await server.stop()
    }

    var kubeconfig: String { workspace.path("kubeconfig").path }

    // Both talk to the in-process server: they must not block a concurrency-pool thread.
    @discardableResult
    func kubectl(_ arguments: [String], stdin: String = "") async throws -> CommandResult {
        let kubectl = try #require(Self.kubectlPath, "kubectl is required")
        return try await runAsync(URL(fileURLWithPath: kubectl), ["--kubeconfig", kubeconfig] + arguments, stdin: stdin, in: workspace.url)
    }

    @discardableResult
    func sealkit(_ arguments: [String], stdin: String = "") async throws -> CommandResult {
        try await workspace.sealkitAsync(arguments + ["--kubeconfig", kubeconfig], stdin: stdin)
    }

    /// Stores the reference key pair as a key Secret, exactly as Bitnami's controller does.
    func installReferenceKey(namespace: String = "kube-system") async throws {
        let secret = KeySecrets.secret(for: try PrivateKey(pem: Array(try Data(contentsOf: Binaries.vectors.appendingPathComponent("key.pem")))),
                                       certificate: try Certificate(pem: Array(try Data(contentsOf: Binaries.vectors.appendingPathComponent("cert.pem")))),
                                       namespace: namespace, name: "sealed-secrets-keyref01")
        _ = try await client.create(.secrets, namespace: namespace, KubeObject(secret.node()))
    }

    /// The Service kubeseal and sealkit look for, pointing at a controller's API port.
    func installService(targetPort: Int, namespace: String = "kube-system") async throws {
        let service = Node.mapping(Mapping([
            "apiVersion": .string("v1"), "kind": .string("Service"),
            "metadata": .mapping(Mapping(["name": .string("sealed-secrets-controller"), "namespace": .string(namespace)])),
            "spec": .mapping(Mapping(["ports": .sequence([.mapping(Mapping([
                "name": .string("http"), "port": .int(8080), "targetPort": .int(targetPort),
            ]))])])),
        ]))
        _ = try await client.create(.services, namespace: namespace, KubeObject(service))
    }

    func startController(_ arguments: [String] = [], identity: String = "controller-a") throws -> ControllerProcess {
        let controller = try ControllerProcess(cluster: self, arguments: arguments, identity: identity)
        controllers.append(controller)
        return controller
    }

    /// A controller started exactly as a Deployment would start it: this executable path (e.g.
    /// a `controller` link, as Bitnami's chart runs), these arguments and nothing else; the
    /// cluster is found through `KUBECONFIG`, here a kubeconfig with `token`.
    func startControllerAsDeployed(executable: URL, arguments: [String], token: String, identity: String) async throws -> ControllerProcess {
        let pki = try await TestCertificates.shared
        try workspace.write("\(identity).kubeconfig", testKubeconfig(server: url, caPEM: pki.caPEM, token: token, namespace: nil))
        let controller = try ControllerProcess(cluster: self, executable: executable, exactArguments: arguments,
                                               kubeconfig: workspace.path("\(identity).kubeconfig").path, identity: identity)
        controllers.append(controller)
        return controller
    }

    /// The log files of every controller started on this cluster.
    var logFiles: [URL] { controllers.map(\.logURL) }

    /// Polls until `condition` holds or `timeout` passes.
    func eventually(timeout: Duration = .seconds(20), _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + TestTimeouts.scaled(timeout)
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)\n\(controllersReport())")
        throw CancellationError()
    }

    /// Each controller's state and the end of its log: what a timed-out wait needs to be
    /// understood (a controller that exited, e.g. on a sanitizer report, or one that is stuck).
    func controllersReport(lines: Int = 40) -> String {
        controllers.map { controller in
            let state = controller.process.isRunning ? "running" : "exited with status \(controller.process.terminationStatus)"
            let tail = controller.log.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
            return "controller \(controller.logURL.lastPathComponent) (\(state)), last \(lines) log lines:\n\(tail)"
        }.joined(separator: "\n")
    }

    func secret(_ namespace: String, _ name: String) async -> KubeObject? {
        try? await client.get(.secrets, namespace: namespace, name: name)
    }

    func sealedSecret(_ namespace: String, _ name: String) async -> KubeObject? {
        try? await client.get(.sealedSecrets, namespace: namespace, name: name)
    }

    static func syncedCondition(_ object: KubeObject?) -> (status: String, message: String)? {
        guard let conditions = object?["status"]?.mapping?["conditions"]?.sequence,
              let synced = conditions.compactMap(\.mapping).first(where: { $0["type"]?.scalar?.text == "Synced" })
        else { return nil }
        return (synced["status"]?.scalar?.text ?? "", synced["message"]?.scalar?.text ?? "")
    }
}

/// A running `sealkit-controller`, its log, and its ports.
final class ControllerProcess: @unchecked Sendable {
    let process = Process()
    let apiPort: Int
    let metricsPort: Int
    let logURL: URL

    init(cluster: TestCluster, arguments: [String], identity: String) throws {
        apiPort = try FreePort.pick()
        metricsPort = try FreePort.pick()
        logURL = cluster.workspace.path("\(identity).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = Binaries.url("sealkit-controller")
        process.arguments = ["--kubeconfig", cluster.kubeconfig, "--listen-addr", "127.0.0.1:\(apiPort)",
                             "--listen-metrics-addr", "127.0.0.1:\(metricsPort)", "--key-size", "2048",
                             "--log-level", "debug"] + (arguments.contains("--lease-duration") ? [] : ["--lease-duration", "3s"]) + arguments
        process.environment = ChildEnvironment.with(["POD_NAMESPACE": "kube-system", "HOME": cluster.workspace.url.path,
                                                      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        try start()
    }

    /// `exactArguments` may use `{api}` and `{metrics}` for the ports picked here.
    init(cluster: TestCluster, executable: URL, exactArguments: [String], kubeconfig: String, identity: String) throws {
        apiPort = try FreePort.pick()
        metricsPort = try FreePort.pick()
        logURL = cluster.workspace.path("\(identity).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = exactArguments.map {
            $0.replacingOccurrences(of: "{api}", with: String(apiPort)).replacingOccurrences(of: "{metrics}", with: String(metricsPort))
        }
        process.environment = ChildEnvironment.with(["POD_NAMESPACE": "kube-system", "HOME": cluster.workspace.url.path, "KUBECONFIG": kubeconfig,
                                                      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        try start()
    }

    private func start() throws {
        // One handle for both streams: info goes to stdout and warnings to stderr
        // (--log-info-stdout), and two handles would overwrite each other's lines.
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Signals the controller and waits for it to exit without blocking a concurrency-pool
    /// thread (it may still talk to the in-process API server while it shuts down).
    func stop(_ signal: Int32 = SIGTERM) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// GET on the API or metrics port.
    func get(_ path: String, metrics: Bool = false) async throws -> (status: Int, body: String) {
        let url = URL(string: "http://127.0.0.1:\(metrics ? metricsPort : apiPort)\(path)")!
        return try await HTTP.request(url)
    }
}

/// A minimal HTTP/1.1 client over a socket, enough for the controller's own endpoints (the
/// tests must not depend on the client under test).
enum HTTP {
    static func request(_ url: URL, method: String = "GET", body: [UInt8] = []) async throws -> (status: Int, body: String) {
        try await Task.detached {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw POSIXError(.EIO) }
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(url.port!).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            let request = Array("\(method) \(url.path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
            _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count <= 0 { break }
                response += buffer[0 ..< count]
            }
            let text = String(decoding: response, as: UTF8.self)
            let status = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
            let bodyText = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
            return (status, bodyText)
        }.value
    }
}

enum FreePort {
    /// A port the kernel just handed out and released (the test binds it again right away).
    static func pick() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(descriptor, pointer, length) == 0 else { return -1 }
                return getsockname(descriptor, pointer, &length)
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A kubeconfig for the test server: its CA, a bearer token, and optionally a namespace.
func testKubeconfig(server: URL, caPEM: String, token: String, namespace: String?) -> String {
    """
    apiVersion: v1
    kind: Config
    current-context: test
    clusters:
    - name: test
      cluster: {server: "\(server.absoluteString)", certificate-authority-data: \(Base64.encode(Array(caPEM.utf8)))}
    users:
    - name: test
      user: {token: \(token)}
    contexts:
    - name: test
      context: {cluster: test, user: test\(namespace.map { ", namespace: \($0)" } ?? "")}
    """
}
