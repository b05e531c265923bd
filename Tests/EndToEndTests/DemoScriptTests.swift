import Foundation
import Testing

/// `scripts/demo.sh`, the README's first command, run with the built binaries
/// (`SEALKIT_BIN_DIR`) instead of a release build: the whole loop on kube-test-server, checked
/// through what it shows the user.
extension SerialSuites {
@Suite("Demo script", .serialized, .enabled(if: TestCluster.kubectlPath != nil || ProcessInfo.processInfo.environment["CI"] != nil),
       .timeLimit(.minutes(2)))
struct DemoScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One numbered step of the output: its title and the lines under it, unindented.
    struct Step {
        let number: Int
        let title: String
        var lines: [String] = []

        /// The output lines of the command shown as `$ command`.
        func output(of command: String) -> [String] {
            guard let start = lines.firstIndex(of: "$ \(command)") else { return [] }
            return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("$ ") && !$0.hasPrefix("# ") })
        }
    }

    func demo(_ arguments: [String] = [], binaries: URL = Binaries.directory) async throws -> CommandResult {
        // 2048-bit keys: the same steps, less key generation time under a loaded CI machine.
        try await runAsync(URL(fileURLWithPath: "/bin/bash"), [Self.root.appendingPathComponent("scripts/demo.sh").path] + arguments,
                           environment: ["SEALKIT_BIN_DIR": binaries.path, "SEALKIT_DEMO_KEY_SIZE": "2048", "SEALKIT_DEMO_TIMEOUT": "45"],
                           in: FileManager.default.temporaryDirectory)
    }

    /// The lines before the first step, and the steps.
    func parse(_ output: String) -> (preamble: [String], steps: [Step]) {
        var preamble: [String] = []
        var steps: [Step] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let dot = line.firstIndex(of: "."), let number = Int(line[..<dot]), line[dot...].hasPrefix(". ") {
                steps.append(Step(number: number, title: String(line[line.index(dot, offsetBy: 2)...])))
            } else if steps.isEmpty {
                preamble.append(line)
            } else if !line.isEmpty {
                steps[steps.count - 1].lines.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        return (preamble, steps)
    }

    @Test("the whole loop: CRD, controller, fetch-cert, seal, apply, the Secret, rotation, reseal --online; then everything stops")
    func wholeLoop() async throws {
        let result = try await demo()
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let (preamble, steps) = parse(result.stdout)
        #expect(preamble.count <= 5, "\(preamble)")
        let titles = ["Start a Kubernetes API server", "Install the SealedSecret CRD", "Start the controller",
                      "Fetch the sealing certificate", "Create a Secret and seal it", "Apply the SealedSecret",
                      "The Secret the controller wrote (PLAINTEXT", "The controller's key", "Rotate",
                      "Re-seal the repository", "Clean up"]
        try #require(steps.count == titles.count, "\(steps.map(\.title))")
        for (index, (step, title)) in zip(steps, titles).enumerated() {
            #expect(step.number == index + 1)
            #expect(step.title.hasPrefix(title), "\(step.title)")
        }

        // The CRD applies; sealing needs no --cert.
        #expect(steps[1].output(of: "kubectl apply -f controller/deploy/base/crd.yaml")
                == ["customresourcedefinition.apiextensions.k8s.io/sealedsecrets.bitnami.com created"])
        #expect(steps[4].lines.contains("$ sealkit -f secret.yaml -w sealed.yaml"))

        // kubectl shows the SealedSecret Synced.
        let table = steps[5].output(of: "kubectl get sealedsecret -n prod")
        try #require(table.count == 2, "\(table)")
        let synced = try #require(table[0].range(of: "SYNCED"))
        #expect(table[0].split(separator: " ") == ["NAME", "STATUS", "SYNCED", "AGE"])
        #expect(table[1].hasPrefix("database "))
        #expect(table[1][synced.lowerBound...].hasPrefix("True"), "\(table[1])")

        // The Secret the controller wrote, decoded: the sealed values, shown there and nowhere else.
        let decoded = steps[6].lines.dropFirst().filter { !$0.hasPrefix("#") }
        #expect(decoded.count == 2, "\(decoded)")
        #expect(decoded.last == "username: orders")
        let passwordLine = try #require(decoded.first)
        #expect(passwordLine.hasPrefix("password: "))
        let password = String(passwordLine.dropFirst("password: ".count))
        #expect(password.count == 24 && Data(base64Encoded: password)?.count == 18, "openssl rand -base64 18")
        #expect(result.stdout.components(separatedBy: password).count == 2, "the password is shown once, decoded")

        // The controller's key Secret.
        let keys = steps[7].output(of: "kubectl get secrets -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key")
        #expect(keys.count == 2 && keys[1].hasPrefix("sealed-secrets-key") && keys[1].contains("kubernetes.io/tls"), "\(keys)")

        // Rotation: two keys, the new one seals.
        let inspected = steps[8].output(of: "sealkit keys inspect")
        #expect(inspected.count == 3 && inspected.dropFirst().allSatisfy { $0.hasPrefix("sealed-secrets-key") }, "\(inspected)")
        #expect(inspected.filter { $0.hasSuffix("newest (seals)") }.count == 1, "\(inspected)")

        // reseal --online changed only the two ciphertexts; the controller opened the new ones.
        #expect(steps[9].output(of: "sealkit reseal --online .").last?.contains("items re-sealed 2, skipped 0, failed 0") == true)
        let diff = steps[9].output(of: "git diff")
        let removed = diff.filter { $0.hasPrefix("-") && !$0.hasPrefix("---") }
        let added = diff.filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }
        let ciphertext = #/^[-+]\s+(password|username): [A-Za-z0-9+/=]+…?$/#
        #expect(removed.count == 2 && added.count == 2, "\(diff)")
        for line in removed + added {
            #expect(line.wholeMatch(of: ciphertext) != nil, "only ciphertext may change: \(line)")
        }
        #expect(Set(removed.map { $0.dropFirst().split(separator: ":")[0] }) == Set(added.map { $0.dropFirst().split(separator: ":")[0] }))
        let after = steps[9].output(of: "kubectl get sealedsecret -n prod")
        #expect(after.count == 2 && after[1][synced.lowerBound...].hasPrefix("True"), "\(after)")

        // Everything stopped and removed.
        let directory = try #require(steps[10].title.split(separator: " ").last.map(String.init))
        #expect(directory.contains("sealkit-demo."))
        #expect(!FileManager.default.fileExists(atPath: directory), "\(directory) should be removed")
        let pids = steps[10].lines.filter { $0.hasPrefix("$ kill ") }.compactMap { Int32($0.dropFirst("$ kill ".count)) }
        #expect(pids.count == 2, "the controller, then the API server")
        for pid in pids {
            #expect(kill(pid, 0) != 0, "process \(pid) should have exited")
        }
    }

    @Test("a port in use: one line naming the step and what to do, nothing left behind")
    func portInUse() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))

        let result = try await demo(["--port", String(port)])
        #expect(result.status == 1)
        #expect(result.stderr == "error: step 1 (Start a Kubernetes API server on loopback: the embedded kube-test-server): port \(port) is in use; pass another --port, or leave it out to pick a free one\n")
    }

    @Test("a missing binary: one line saying what to build")
    func missingBinary() async throws {
        let workspace = try Workspace()
        let result = try await demo(binaries: workspace.url)
        #expect(result.status == 1)
        #expect(result.stderr == "error: checking tools: \(workspace.url.path)/sealkit is missing; build it (swift build --product sealkit) or unset SEALKIT_BIN_DIR\n")
        #expect(result.stdout.isEmpty)
    }
}
}
