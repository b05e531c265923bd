import Foundation
import KubeClient
import KubeTestServer
import SealKit

/// `sealkit-bench --controller`: the built `sealkit-controller` against the test API server.
/// Measures the time to reconcile N new SealedSecrets of 3 values each (next to the time
/// `openssl speed` says the 3·N RSA private operations alone take on the same cores), then
/// the RSA operations and CPU time one resync of the same unchanged objects costs, and the
/// controller's resident memory.
struct ControllerBenchmark {
    let objects: Int
    let key: PrivateKey
    let seconds: Double
    /// Keys the controller holds; the objects are sealed to the oldest (`key`), as a year of
    /// monthly renewals leaves things when nothing in git is re-sealed.
    var keys = 1
    var resyncPeriod = 15

    struct Figures {
        var reconcileCPU: Double
        var attemptsPerItem: Double
    }

    @discardableResult
    func run() async throws -> Figures {
        // The baseline first, while nothing else runs, on the CPUs the controller will have.
        let controllerCPUs = CPUAffinity.controllerCPUs()
        let cores = controllerCPUs?.count ?? ProcessInfo.processInfo.activeProcessorCount
        let opensslBefore = try opensslRates(seconds: seconds, processes: cores, cpus: controllerCPUs)
        if controllerCPUs != nil { try CPUAffinity.pinThisProcess(to: [0]) }
        let server = KubeAPIServer(configuration: KubeAPIServer.Configuration())
        let url = try await server.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try Data("""
            apiVersion: v1
            kind: Config
            current-context: bench
            clusters: [{name: bench, cluster: {server: "\(url.absoluteString)"}}]
            users: [{name: bench, user: {}}]
            contexts: [{name: bench, context: {cluster: bench, user: bench}}]
            """.utf8).write(to: kubeconfig)
        let client = try KubeClient(connection: ClusterConnection(server: url))

        // The sealing key is the oldest; the others are newer, one a month, as renewals leave
        // them. The newest is made now: were it a renewal period old, the controller would make a
        // key during the measurement, and the new key would invalidate what it has cached.
        let now = Date()
        func madeAgo(months: Int) -> Date { now.addingTimeInterval(-Double(months) * 30 * 86_400) }
        let certificate = try Certificate.selfSigned(for: key, notBefore: madeAgo(months: max(keys, 1) - 1))
        _ = try await client.create(.secrets, namespace: "kube-system",
                                    KubeObject(KeySecrets.secret(for: key, certificate: certificate, namespace: "kube-system", name: "bench-key").node()))
        for index in 1 ..< max(keys, 1) {
            let newer = try PrivateKey.generateRSA(bits: 4096)
            let newerCertificate = try Certificate.selfSigned(for: newer, notBefore: madeAgo(months: keys - 1 - index))
            _ = try await client.create(.secrets, namespace: "kube-system", KubeObject(KeySecrets.secret(
                for: newer, certificate: newerCertificate, namespace: "kube-system", name: "bench-key-\(index)").node()))
        }

        let controllerPath = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sealkit-controller")
        let controller = Process()
        if let controllerCPUs {
            controller.executableURL = URL(fileURLWithPath: CPUAffinity.taskset)
            controller.arguments = ["-c", CPUAffinity.list(controllerCPUs), controllerPath.path]
        } else {
            controller.executableURL = controllerPath
        }
        let metricsPort = 18_000 + Int.random(in: 0 ..< 1000)
        controller.arguments = (controller.arguments ?? []) + ["--kubeconfig", kubeconfig.path, "--listen-addr", "127.0.0.1:0", "--listen-metrics-addr", "127.0.0.1:\(metricsPort)",
                                "--leader-elect=false", "--resync-period", "\(resyncPeriod)s", "--log-level", ProcessInfo.processInfo.environment["BENCH_LOG"] ?? "warning"]
            + (ProcessInfo.processInfo.environment["BENCH_CONTROLLER_ARGS"]?.split(separator: " ").map(String.init) ?? [])
        // GLIBC_TUNABLES, MALLOC_* and SEALKIT_* pass through, to try allocator and executor settings.
        controller.environment = ["POD_NAMESPACE": "kube-system", "PATH": "/usr/bin:/bin"].merging(
            ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("MALLOC_") || $0.key.hasPrefix("SEALKIT_") || $0.key == "GLIBC_TUNABLES" }) { a, _ in a }

        if ProcessInfo.processInfo.environment["BENCH_LOG"] == nil { controller.standardError = FileHandle.nullDevice; controller.standardOutput = FileHandle.nullDevice }
        try controller.run()
        defer { kill(controller.processIdentifier, SIGTERM); controller.waitUntilExit() }
        let pid = controller.processIdentifier

        // Seal and submit N objects (RSA public operations only, on this side).
        let sealer = Sealer(publicKey: certificate.publicKey)
        var pending: [KubeObject] = []
        for index in 0 ..< objects {
            var secret = Secret(metadata: ObjectMetadata(name: "bench-\(index)", namespace: "bench-\(index % 10)"), type: "Opaque")
            secret.items = ["a", "b", "c"].map { .init(key: $0, value: SecretBytes(utf8: "value-\($0)-\(index)-0123456789abcdef")) }
            pending.append(KubeObject(try sealer.seal(secret).node()))
        }
        try await waitForMetrics(port: metricsPort)
        // Completion is counted from a metadata-only watch of Secrets: polling with full lists
        // made the API server serialize every Secret twice a second, on the core it shares
        // with this process, and the controller then waited for a busy server.
        let written = SecretCounter(client: client, objects: objects)
        let cpuBefore = cpuSeconds(pid)
        let unsealCPUBefore = threadCPUSeconds(pid, named: "unseal-")
        let serverCPUBefore = cpuSeconds(getpid())
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for chunk in stride(from: 0, to: pending.count, by: pending.count / 8 + 1) {
                let slice = Array(pending[chunk ..< min(chunk + pending.count / 8 + 1, pending.count)])
                group.addTask { for object in slice { _ = try await client.create(.sealedSecrets, namespace: object.namespace, object) } }
            }
            try await group.waitForAll()
        }
        await written.waitForAll()
        let reconcileTime = start.duration(to: .now).seconds
        let cpuReconcile = cpuSeconds(pid) - cpuBefore
        let unsealCPU = threadCPUSeconds(pid, named: "unseal-") - unsealCPUBefore
        let serverCPU = cpuSeconds(getpid()) - serverCPUBefore

        // One full resync of the unchanged objects.
        let decryptionsBefore = try await metric(port: metricsPort, "sealed_secrets_controller_unseal_decryptions_total")
        let requestsBefore = try await metric(port: metricsPort, "sealed_secrets_controller_unseal_requests_total")
        let cpuResyncStart = cpuSeconds(pid)
        let resyncStart = ContinuousClock.now
        while try await metric(port: metricsPort, "sealed_secrets_controller_unseal_requests_total") < requestsBefore + Double(objects) {
            try await Task.sleep(for: .seconds(1))
        }
        let resyncWall = resyncStart.duration(to: .now).seconds
        let cpuResync = cpuSeconds(pid) - cpuResyncStart
        let decryptionsDuringResync = try await metric(port: metricsPort, "sealed_secrets_controller_unseal_decryptions_total") - decryptionsBefore
        let memory = residentMemory(pid)
        let opened = try await metric(port: metricsPort, #"sealed_secrets_controller_rsa_decrypt_attempts_total{outcome="success"}"#)
        let failed = try await metric(port: metricsPort, #"sealed_secrets_controller_rsa_decrypt_attempts_total{outcome="failure"}"#)
        let attemptsPerItem = opened > 0 ? (opened + failed) / opened : 0

        // The baseline again, now the controller is idle: the machine's speed drifts (a virtual
        // machine shares its host), and the mean of the two brackets the measurement.
        let opensslAfter = try opensslRates(seconds: seconds, processes: cores, cpus: controllerCPUs)
        let openssl = (privateOps: (opensslBefore.privateOps + opensslAfter.privateOps) / 2, publicOps: 0.0)
        print(String(format: "openssl speed rsa4096 private ops on the controller's core(s): %.1f/s before, %.1f/s after",
                     opensslBefore.privateOps, opensslAfter.privateOps))
        let ideal = Double(objects * 3) / openssl.privateOps
        let placement = controllerCPUs.map { "the controller on CPU \(CPUAffinity.list($0)), the API server and clients on CPU 0" }
            ?? "everything on all \(cores) cores"
        print("controller: \(objects) SealedSecrets × 3 values against the test API server; \(placement)")
        print(String(format: "  first sync: %.2f s wall, %.2f s controller CPU; the %d RSA private ops alone take %.2f s on the controller's %d core(s) at openssl's %.1f/s"
                         + " -> wall ÷ RSA-only time %.2f",
                     reconcileTime, cpuReconcile, objects * 3, ideal, cores, openssl.privateOps, reconcileTime / ideal))
        // The same operations on one core, next to the controller's CPU: its own overhead,
        // whatever the API server (in this process, on the same cores) costs.
        let rsaCPU = Double(objects * 3) / (openssl.privateOps / Double(cores))
        print(String(format: "  controller CPU ÷ CPU of the RSA ops alone (%.2f s on one core): %.2f; the API server and clients in this process: %.2f s CPU",
                     rsaCPU, cpuReconcile / rsaCPU, serverCPU))
        // Measured side by side on the same core, so immune to the host's drift: everything
        // the controller does besides unsealing (HTTP, JSON, queues, watches), relative to the
        // unsealing threads' time (RSA, plus parsing the object and AES, a little more than RSA).
        print(String(format: "  controller CPU ÷ CPU of its unsealing threads (same run, same core): %.2f (%.2f s of %.2f s)",
                     cpuReconcile / max(unsealCPU, 0.001), unsealCPU, cpuReconcile))
        // The same split per object, for comparing runs on a machine whose speed moves: the
        // I/O side (four API requests and three watch events per object) next to the unseal.
        print(String(format: "  per object: %.2f ms unsealing, %.2f ms everything else (I/O threads, queues, caches)",
                     unsealCPU * 1000 / Double(objects), (cpuReconcile - unsealCPU) * 1000 / Double(objects)))
        print(String(format: "  resync of %d unchanged objects: %.0f RSA decryptions, %.2f s controller CPU (%.2f ms per object), %.1f s wall (includes waiting for the %d s period)",
                     objects, decryptionsDuringResync, cpuResync, cpuResync * 1000 / Double(objects), resyncWall, resyncPeriod))
        print(String(format: "  controller memory: %.1f MiB resident, %.1f MiB peak", memory.resident, memory.peak))
        print(String(format: "  keys held: %d; RSA attempts per value opened: %.3f", keys, attemptsPerItem))
        if let hold = ProcessInfo.processInfo.environment["BENCH_HOLD"].flatMap(Int.init) {
            print("  holding the controller (pid \(pid)) for \(hold) s")
            try await Task.sleep(for: .seconds(hold))
        }
        await client.shutdown()
        await server.stop()
        return Figures(reconcileCPU: cpuReconcile, attemptsPerItem: attemptsPerItem)
    }


    private func waitForMetrics(port: Int) async throws {
        for _ in 0 ..< 300 {
            if (try? await metric(port: port, "sealed_secrets_controller_build_info{revision=\"\(SealKitVersion.current)\"}")) ?? 0 > 0 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchmarkError(description: "the controller did not start")
    }

    private func metric(port: Int, _ name: String) async throws -> Double {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        let text = String(decoding: data, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + " ") }),
              let value = line.split(separator: " ").last.flatMap({ Double($0) })
        else { return 0 }
        return value
    }

    /// User + system CPU seconds of a process, from /proc.
    private func cpuSeconds(_ pid: Int32) -> Double {
        cpuSeconds(statFile: "/proc/\(pid)/stat")
    }

    /// User plus system CPU time from a `/proc/…/stat` file (a process's or one thread's).
    private func cpuSeconds(statFile path: String) -> Double {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks
    }

    /// CPU seconds of the process's threads whose name starts with `prefix`.
    private func threadCPUSeconds(_ pid: Int32, named prefix: String) -> Double {
        let directory = "/proc/\(pid)/task"
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).reduce(0) { total, task in
            guard let name = try? String(contentsOfFile: "\(directory)/\(task)/comm", encoding: .utf8), name.hasPrefix(prefix) else {
                return total
            }
            return total + cpuSeconds(statFile: "\(directory)/\(task)/stat")
        }
    }

    private func residentMemory(_ pid: Int32) -> (resident: Double, peak: Double) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func kilobytes(_ field: String) -> Double {
            status.split(separator: "\n").first { $0.hasPrefix(field) }
                .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Double($0) } } ?? 0
        }
        return (kilobytes("VmRSS:") / 1024, kilobytes("VmHWM:") / 1024)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Counts the benchmark's Secrets as the controller writes them, from one metadata-only watch.
private struct SecretCounter {
    private let task: Task<Void, Never>

    init(client: KubeClient, objects: Int) {
        task = Task {
            let watcher = ResourceWatcher(client: client, resource: .secrets, namespace: nil,
                                          options: ListOptions(labelSelector: nil, metadataOnly: true))
            var seen = Set<String>()
            for await change in watcher.changes() {
                // The benchmark's objects live in namespaces bench-0…9; the key Secrets
                // (bench-key, bench-key-1…) in kube-system must not count: with 12 keys they
                // ended the first sync 11 objects early, and those unseals landed in the resync.
                guard case .added(let secret) = change, let name = secret.name, secret.namespace?.hasPrefix("bench-") == true else {
                    continue
                }
                seen.insert("\(secret.namespace ?? "")/\(name)")
                if seen.count >= objects { return }
            }
        }
    }

    func waitForAll() async { await task.value }
}
