import Foundation
import KubeClient
import KubeTestServer
import SealKit
import Testing

/// SealKit's controller dropped into an install made by Bitnami's Helm chart: its RBAC (no
/// Lease rule), its command and arguments, its probes; and Bitnami able to take over again.
extension SerialSuites {
@Suite("Bitnami install swap", .serialized, .enabled(if: TestCluster.kubectlPath != nil || ProcessInfo.processInfo.environment["CI"] != nil))
struct BitnamiInstallTests {
    static let serviceAccountToken = "bitnami-sa-token"

    /// The chart's RBAC for release `sealed-secrets-controller` in `kube-system`, as
    /// `helm template` renders it with default values: the `secrets-unsealer` ClusterRole,
    /// the key-admin and service-proxier Roles, their bindings and the ServiceAccount.
    static let chartRBAC = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: sealed-secrets-controller, namespace: kube-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: secrets-unsealer}
        rules:
          - apiGroups: [bitnami.com]
            resources: [sealedsecrets]
            verbs: [get, list, watch]
          - apiGroups: [bitnami.com]
            resources: [sealedsecrets/status]
            verbs: [update]
          - apiGroups: [""]
            resources: [secrets]
            verbs: [get, list, create, update, delete, watch]
          - apiGroups: [""]
            resources: [events]
            verbs: [create, patch]
          - apiGroups: [""]
            resources: [namespaces]
            verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: sealed-secrets-controller}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secrets-unsealer}
        subjects:
          - {kind: ServiceAccount, name: sealed-secrets-controller, namespace: kube-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: sealed-secrets-controller-key-admin, namespace: kube-system}
        rules:
          - apiGroups: [""]
            resourceNames: [sealed-secrets-key]
            resources: [secrets]
            verbs: [get]
          - apiGroups: [""]
            resources: [secrets]
            verbs: [create, list]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: sealed-secrets-controller-key-admin, namespace: kube-system}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: sealed-secrets-controller-key-admin}
        subjects:
          - {kind: ServiceAccount, name: sealed-secrets-controller, namespace: kube-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: sealed-secrets-controller-service-proxier, namespace: kube-system}
        rules:
          - apiGroups: [""]
            resourceNames: [sealed-secrets-controller]
            resources: [services]
            verbs: [get]
          - apiGroups: [""]
            resourceNames: ["http:sealed-secrets-controller:", "http:sealed-secrets-controller:http", sealed-secrets-controller]
            resources: [services/proxy]
            verbs: [create, get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: sealed-secrets-controller-service-proxier, namespace: kube-system}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: sealed-secrets-controller-service-proxier}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
        """

    /// The chart's default arguments, plus the flags an operator commonly adds.
    static let chartArguments = ["--update-status", "--key-prefix", "sealed-secrets-key", "--listen-addr", "127.0.0.1:{api}",
                                 "--listen-metrics-addr", "127.0.0.1:{metrics}", "--log-level", "INFO", "--log-format", "json",
                                 "--log-info-stdout", "--privatekey-labels", "team=platform", "--kubeclient-qps", "20",
                                 "--kubeclient-burst", "30"]

    /// Every flag of Bitnami's controller v0.36, in pflag syntax (booleans alone or `=value`).
    static let everyBitnamiFlag = [
        "--key-prefix", "sealed-secrets-key", "--key-size", "4096", "--key-ttl", "87600h", "--my-cn", "cluster",
        "--key-renew-period", "720h", "--key-order-priority", "SecretCreationTimestamp", "--accept-deprecated-v1-data=false",
        "--key-cutoff-time", "Mon, 02 Jan 2006 15:04:05 -0700", "--all-namespaces=true", "--additional-namespaces", "a,b",
        "--label-selector", "team=a", "--rate-limit", "2", "--rate-limit-burst", "2", "--metrics-omit-secret-labels",
        "--privatekey-annotations", "a=b", "--privatekey-labels", "c=d", "--old-gc-behaviour", "--update-status",
        "--watch-for-secrets", "--skip-recreate=false", "--log-info-stdout=false", "--log-level", "warn", "--log-format", "text",
        "--rotate-period", "720h", "--max-unseal-retries", "5", "--kubeclient-qps", "5", "--kubeclient-burst", "10",
        "--listen-addr", ":8080", "--listen-metrics-addr", ":8081", "--read-timeout", "2m", "--write-timeout", "2m",
    ]

    @Test("every Bitnami v0.36 flag is accepted with its syntax; a bad value is one line") func flags() async throws {
        let accepted = try await runAsync(Binaries.url("sealkit-controller"), Self.everyBitnamiFlag + ["--version"],
                                          in: FileManager.default.temporaryDirectory)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout == "controller version: \(SealKitVersion.current)\n")
        let refused = try await runAsync(Binaries.url("sealkit-controller"), ["--log-level", "LOUD"], in: FileManager.default.temporaryDirectory)
        #expect(refused.status != 0)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("--log-level"))
    }

    /// - Parameter cpus: CPUs to pin the controller to (`taskset -c`), as a cpuset or a
    ///   single-CPU node would leave it; nil: the machine's.
    private func install(cpus: String? = nil) async throws -> (TestCluster, ControllerProcess) {
        let cluster = try await TestCluster.start(serviceAccountTokens: [Self.serviceAccountToken: "kube-system/sealed-secrets-controller"])
        let applied = try await cluster.kubectl(["apply", "-f", "-"], stdin: Self.chartRBAC)
        #expect(applied.status == 0, "\(applied.stderr)")
        // The image answers to `controller`, which is what the chart's `command` runs.
        let link = cluster.workspace.path("controller")
        if let cpus {
            try Data("#!/bin/sh\nexec taskset -c \(cpus) '\(Binaries.url("sealkit-controller").path)' \"$@\"\n".utf8).write(to: link)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: link.path)
        } else {
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: Binaries.url("sealkit-controller"))
        }
        let controller = try await cluster.startControllerAsDeployed(executable: link, arguments: Self.chartArguments,
                                                                     token: Self.serviceAccountToken, identity: "bitnami-swap")
        return (cluster, controller)
    }

    private func keySecrets(_ cluster: TestCluster, selector: String = KeySecrets.keyLabel) async throws -> [KubeObject] {
        try await cluster.client.list(.secrets, namespace: "kube-system", options: ListOptions(labelSelector: selector)).items
    }

    @Test("pinned to one CPU, the controller unseals on one thread and runs one event loop, not two of each taking turns",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/taskset")))
    func oneCPUOneUnsealingThread() async throws {
        let (cluster, controller) = try await install(cpus: "0")
        defer { Task { await cluster.stop() } }
        try await cluster.eventually(timeout: .seconds(60), "ready") { try await controller.get("/readyz").status == 200 }
        #expect(Self.threads(of: controller, named: "unseal-") == 1)
        // One event loop too: with two, every response and watch event would cross threads.
        #expect(Self.threads(of: controller, named: "NIO-SGLTN-") == 1)
        let (machine, machineController) = try await install()
        defer { Task { await machine.stop() } }
        try await machine.eventually(timeout: .seconds(60), "ready") { try await machineController.get("/readyz").status == 200 }
        #expect(Self.threads(of: machineController, named: "unseal-") == min(2, AvailableProcessors.count))
        #expect(Self.threads(of: machineController, named: "NIO-SGLTN-") == AvailableProcessors.count)
    }

    /// Threads whose name starts with `prefix`: `unseal-N` for the worker pool, `NIO-SGLTN-…`
    /// for the event loops.
    private static func threads(of controller: ControllerProcess, named prefix: String) -> Int {
        let tasks = "/proc/\(controller.process.processIdentifier)/task"
        return ((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).filter { task in
            (try? String(contentsOfFile: "\(tasks)/\(task)/comm", encoding: .utf8))?.hasPrefix(prefix) == true
        }.count
    }

    @Test("with the chart's RBAC (no leases) and arguments: a Bitnami-named key, reconciling, liveness at once, Bitnami's metrics")
    func chartInstall() async throws {
        let (cluster, controller) = try await install()
        defer { Task { await cluster.stop() } }

        // Liveness answers as soon as the HTTP server runs, keys or not.
        try await cluster.eventually(timeout: .seconds(10), "/healthz") { try await controller.get("/healthz") == (200, "ok\n") }

        try await cluster.eventually(timeout: .seconds(60), "a generated key") { try await keySecrets(cluster).count == 1 }
        let key = try #require(try await keySecrets(cluster).first)
        let name = key.name ?? ""
        #expect(name.hasPrefix("sealed-secrets-key") && name.count == "sealed-secrets-key".count + 5, "\(name)")
        #expect(key.metadata.labels == [KeySecrets.keyLabel: "active", "team": "platform"])
        #expect(key["type"]?.scalar?.text == "kubernetes.io/tls")
        try await cluster.eventually("ready") { try await controller.get("/readyz").status == 200 }

        // A SealedSecret sealed with the served certificate is reconciled under these permissions.
        let certificate = try await controller.get("/v1/cert.pem").body
        try cluster.workspace.write("cert.pem", certificate)
        let sealed = try await cluster.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: """
            apiVersion: v1
            kind: Secret
            metadata: {name: db, namespace: prod, labels: {app.kubernetes.io/instance: payments}}
            stringData: {password: hunter2}
            """)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        // The SealedSecret itself carries the Helm instance label (condition_info reports it).
        var object = KubeObject(try YAMLReader.manifests(Array(sealed.stdout.utf8))[0].root)
        var metadata = object.metadata
        metadata.labels["app.kubernetes.io/instance"] = "payments"
        object.metadata = metadata
        let applied = try await cluster.kubectl(["apply", "--validate=false", "-f", "-"],
                                                stdin: String(decoding: JSONWriter.write(object.node), as: UTF8.self))
        #expect(applied.status == 0, "\(applied.stderr)")
        try await cluster.eventually(timeout: .seconds(30), "the Secret") { await cluster.secret("prod", "db") != nil }
        try await cluster.eventually("Synced") { TestCluster.syncedCondition(await cluster.sealedSecret("prod", "db"))?.status == "True" }

        // No lease rule: one warning, and it ran as the single replica instead of waiting.
        let log = controller.log
        #expect(log.components(separatedBy: "no permission on coordination.k8s.io leases").count == 2, "\(log.suffix(2000))")
        // Every other request stayed within the chart's rules.
        let refused = log.split(separator: "\n").filter { $0.lowercased().contains("forbidden") && !$0.contains("leases") }
        #expect(refused.isEmpty, "requests outside the chart's RBAC: \(refused)")
        // --log-format json: every line is a JSON object.
        for line in log.split(separator: "\n") { #expect(line.hasPrefix("{"), "\(line.prefix(200))") }

        let metrics = try await controller.get("/metrics", metrics: true).body
        #expect(metrics.contains(#"sealed_secrets_controller_condition_info{namespace="prod",name="db",condition="Synced",ss_app_kubernetes_io_instance="payments"} 1"#),
                "\(metrics)")
        #expect(metrics.contains("sealed_secrets_controller_build_info{revision=\"\(SealKitVersion.current)\"} 1"))
        for name in ["sealed_secrets_controller_unseal_requests_total", "sealed_secrets_controller_http_requests_total",
                     "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"] {
            #expect(metrics.contains("\n\(name)") || metrics.hasPrefix(name), "missing \(name)")
        }
    }

    @Test("switching back: every key SealKit keeps, a retired one included, matches Bitnami's selector (=active)")
    func switchBack() async throws {
        let (cluster, controller) = try await install()
        defer { Task { await cluster.stop() } }
        try await cluster.eventually(timeout: .seconds(60), "a generated key") { try await keySecrets(cluster).count == 1 }
        try await cluster.eventually("ready") { try await controller.get("/readyz").status == 200 }
        let first = try await controller.get("/v1/cert.pem").body
        kill(controller.process.processIdentifier, SIGUSR1)
        try await cluster.eventually(timeout: .seconds(60), "a second key") { try await keySecrets(cluster).count == 2 }
        try await cluster.eventually("the new certificate") { try await controller.get("/v1/cert.pem").body != first }

        // Retire the newest key the documented way: it keeps Bitnami's label.
        let newest = try #require(try await keySecrets(cluster).max { ($0.string("creationTimestamp"), $0.name ?? "") < ($1.string("creationTimestamp"), $1.name ?? "") })
        #expect(try await cluster.kubectl(["annotate", "secret", newest.name ?? "", "-n", "kube-system",
                                           "\(KeySecrets.stateAnnotation)=retired"]).status == 0)
        // SealKit honours the state: the retired key no longer seals.
        try await cluster.eventually("the active key to seal again") { try await controller.get("/v1/cert.pem").body == first }
        // Bitnami's controller loads keys with exactly this selector: both are there.
        let bitnamiView = try await keySecrets(cluster, selector: "\(KeySecrets.keyLabel)=active")
        #expect(bitnamiView.count == 2)
        #expect(bitnamiView.allSatisfy { $0["data"]?.mapping?["tls.key"] != nil && $0["data"]?.mapping?["tls.crt"] != nil })
    }
}
}

private extension KubeObject {
    func string(_ field: String) -> String { metadata.fields[field]?.scalar?.text ?? "" }
}
