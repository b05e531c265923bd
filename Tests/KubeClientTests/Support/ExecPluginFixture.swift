import Foundation
import SealKit

/// A real exec credential plugin for tests: a shell script in a fresh directory that counts its
/// runs in `runs`, saves `KUBERNETES_EXEC_INFO`, its arguments and one env variable per run, and
/// prints whatever ExecCredential the test last put in `credential.json`.
final class ExecPluginFixture: @unchecked Sendable {
    let directory: URL

    init(apiVersion: String = "client.authentication.k8s.io/v1") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("exec-plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("bin"), withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            dir="$(cd "$(dirname "$0")/.." && pwd)"
            n=$(cat "$dir/runs" 2>/dev/null || echo 0)
            n=$((n + 1))
            echo "$n" > "$dir/runs"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/exec-info-$n.json"
            printf '%s\\n' "$@" > "$dir/args-$n"
            printf '%s' "$PLUGIN_GREETING" > "$dir/env-$n"
            if [ -f "$dir/fail" ]; then
              echo "first line of the complaint" >&2
              cat "$dir/fail" >&2
              exit 3
            fi
            cat "$dir/credential.json"

            """
        let plugin = directory.appendingPathComponent("bin/plugin.sh")
        try Data(script.utf8).write(to: plugin)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin.path)
        self.apiVersion = apiVersion
    }

    let apiVersion: String

    deinit { try? FileManager.default.removeItem(at: directory) }

    var runs: Int {
        let text = (try? String(contentsOf: directory.appendingPathComponent("runs"), encoding: .utf8)) ?? "0"
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// The `KUBERNETES_EXEC_INFO` of run `run` (1-based), parsed.
    func execInfo(run: Int) throws -> Mapping? {
        let data = try Data(contentsOf: directory.appendingPathComponent("exec-info-\(run).json"))
        return try YAMLReader.documents(Array(data)).first?.root.mapping
    }

    func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Makes the plugin print a token, valid until `expiration` (RFC 3339) when given.
    func returnToken(_ token: String, expiration: String? = nil) throws {
        var status = Mapping(["token": .string(token)])
        if let expiration { status["expirationTimestamp"] = .string(expiration) }
        try write(status)
    }

    func returnCertificate(_ certificatePEM: String, key keyPEM: String) throws {
        try write(Mapping(["clientCertificateData": .string(certificatePEM), "clientKeyData": .string(keyPEM)]))
    }

    /// Makes the plugin fail with exit code 3 and `message` as the last line of stderr.
    func fail(with message: String) throws {
        try Data((message + "\n").utf8).write(to: directory.appendingPathComponent("fail"))
    }

    func write(_ status: Mapping, apiVersion: String? = nil) throws {
        let credential = Node.mapping(Mapping([
            "apiVersion": .string(apiVersion ?? self.apiVersion), "kind": .string("ExecCredential"),
            "status": .mapping(status),
        ]))
        try Data(JSONWriter.write(credential)).write(to: directory.appendingPathComponent("credential.json"))
    }

    /// A kubeconfig next to `bin/`, whose user runs `./bin/plugin.sh` (relative to the file).
    func writeKubeconfig(server: URL, caPEM: String, exec extra: String = "", clusterExtra: String = "") throws -> String {
        let path = directory.appendingPathComponent("kubeconfig").path
        let text = """
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: test
              cluster:
                server: "\(server.absoluteString)"
                certificate-authority-data: \(Base64.encode(Array(caPEM.utf8)))
            \(clusterExtra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            users:
            - name: test
              user:
                exec:
                  apiVersion: \(apiVersion)
                  command: ./bin/plugin.sh
                  interactiveMode: Never
            \(extra.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))
            contexts:
            - name: test
              context: {cluster: test, user: test}
            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
