import Foundation
import Testing

/// The `sealkit` binary as a user runs it.
@Suite("sealkit CLI")
struct CLITests {
    static let secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          labels: {app: db}
        type: Opaque
        data:
          password: aHVudGVyMg==
        stringData:
          config.yaml: |
            user: svc
            port: 5432
          pin: "0123"
        """

    @Test("--help and --version") func helpAndVersion() throws {
        let workspace = try Workspace()
        let help = try workspace.sealkit(["--help"])
        #expect(help.status == 0)
        for flag in ["--cert", "--scope", "--raw", "--merge-into", "--recovery-unseal", "--recovery-private-key", "-w", "SEALED_SECRETS_"] {
            #expect(help.stdout.contains(flag), "help mentions \(flag)")
        }
        let version = try workspace.sealkit(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.split(separator: ".").count == 3)
    }

    @Test("sealkit ui refuses a non-loopback or malformed --listen, and a bad certificate, before serving")
    func uiRefusals() throws {
        let workspace = try Workspace()
        let cases: [([String], String)] = [
            (["ui", "--cert", "cert.pem", "--listen", "0.0.0.0:0"], "not a loopback address"),
            (["ui", "--cert", "cert.pem", "--listen", "10.1.2.3:8080"], "--allow-non-loopback"),
            (["ui", "--cert", "cert.pem", "--listen", "127.0.0.1:99999"], "the port must be a number from 0 to 65535"),
            (["ui", "--cert", "cert.pem", "--listen", "localhost"], "expected HOST:PORT"),
            (["ui", "--cert", "missing.pem", "--listen", "127.0.0.1:0"], "missing.pem"),
        ]
        for (arguments, message) in cases {
            let result = try workspace.sealkit(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let help = try workspace.sealkit(["ui", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--listen") && help.stdout.contains("secure context"))
    }

    @Test("seal then unseal offline, JSON and YAML") func roundTrip() throws {
        let workspace = try Workspace()
        let sealed = try workspace.sealkit(["--cert", "cert.pem"], stdin: Self.secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.hasPrefix("{"))
        #expect(!sealed.stdout.contains("hunter2"))
        #expect(!sealed.stdout.contains("creationTimestamp"))

        try workspace.write("secret.yaml", Self.secret)
        let toFile = try workspace.sealkit(["--cert", "cert.pem", "-f", "secret.yaml", "-w", "sealed.yaml"])
        #expect(toFile.status == 0, "\(toFile.stderr)")
        #expect(try workspace.read("sealed.yaml").hasPrefix("---\napiVersion: bitnami.com/v1alpha1\n"), "kubeseal's document start")

        for input in [sealed.stdout, try workspace.read("sealed.yaml")] {
            let unsealed = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-o", "yaml"], stdin: input)
            #expect(unsealed.status == 0, "\(unsealed.stderr)")
            #expect(unsealed.stdout.contains("password: aHVudGVyMg==\n"))
            #expect(unsealed.stdout.contains("pin: MDEyMw==\n"))
            #expect(unsealed.stdout.contains("config.yaml: dXNlcjogc3ZjCnBvcnQ6IDU0MzIK\n"))
            #expect(unsealed.stdout.contains("app: db"))
        }
    }

    @Test("several documents in, several out") func multiDocument() throws {
        let workspace = try Workspace()
        let second = Self.secret.replacingOccurrences(of: "name: db", with: "name: cache")
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: Self.secret + "\n---\n" + second + "\n---\n")
        #expect(sealed.status == 0, "\(sealed.stderr)")
        #expect(sealed.stdout.components(separatedBy: "kind: SealedSecret").count == 3)
        let json = try workspace.sealkit(["--cert", "cert.pem"], stdin: Self.secret + "\n---\n" + second)
        let unsealed = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem"], stdin: json.stdout)
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        #expect(unsealed.stdout.components(separatedBy: "\"kind\": \"Secret\"").count == 3)
    }

    @Test("scopes, raw values and environment variables") func rawAndScopes() throws {
        let workspace = try Workspace()
        let raw = try workspace.sealkit(["--raw", "--scope", "namespace-wide", "-n", "prod"], stdin: "hunter2",
                                        environment: ["SEALED_SECRETS_CERT": "cert.pem"])
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stdout.hasPrefix("Ag"))
        #expect(!raw.stdout.hasSuffix("\n"))
        // The raw value drops into a namespace-wide SealedSecret under any name in prod.
        let manifest = """
            {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
             "metadata": {"name": "anything", "namespace": "prod",
                          "annotations": {"sealedsecrets.bitnami.com/namespace-wide": "true"}},
             "spec": {"encryptedData": {"password": "\(raw.stdout)"}}}
            """
        let unsealed = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem"], stdin: manifest)
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        #expect(unsealed.stdout.contains("\"password\": \"aHVudGVyMg==\""))

        let strictWithoutName = try workspace.sealkit(["--raw", "--cert", "cert.pem", "-n", "prod"], stdin: "x")
        #expect(strictWithoutName.status != 0)
        #expect(strictWithoutName.stderr.contains("--name"))

        let fromFile = try workspace.sealkit(["--raw", "--cert", "cert.pem", "--scope", "cluster-wide", "--from-file", "key=cert.pem"])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
    }

    @Test("namespace defaulting: own, -n, kubeconfig context, default") func namespaces() throws {
        let workspace = try Workspace()
        let unnamespaced = Self.secret.replacingOccurrences(of: "  namespace: prod\n", with: "")
        try workspace.write("kubeconfig", """
            apiVersion: v1
            kind: Config
            current-context: dev
            contexts:
            - name: dev
              context: {cluster: c, user: u, namespace: from-context}
            - name: other
              context: {cluster: c, user: u}
            """)
        func namespace(_ arguments: [String], _ environment: [String: String] = [:]) throws -> String? {
            let result = try workspace.sealkit(["--cert", "cert.pem", "-o", "yaml"] + arguments, stdin: unnamespaced, environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").first { $0.hasPrefix("  namespace: ") }.map { String($0.dropFirst(13)) }
        }
        #expect(try namespace([]) == "default")
        #expect(try namespace(["-n", "flag"]) == "flag")
        #expect(try namespace([], ["KUBECONFIG": workspace.path("kubeconfig").path]) == "from-context")
        #expect(try namespace(["--kubeconfig", "kubeconfig"]) == "from-context")
        #expect(try namespace(["--kubeconfig", "kubeconfig", "--context", "other"]) == "default")
        #expect(try namespace(["--kubeconfig", "kubeconfig", "-n", "flag"]) == "flag")
        // Cluster-wide Secrets need no namespace and get none (as with kubeseal).
        #expect(try namespace(["--scope", "cluster-wide", "--kubeconfig", "kubeconfig"]) == nil)

        let contradiction = try workspace.sealkit(["--cert", "cert.pem", "-n", "staging"], stdin: Self.secret)
        #expect(contradiction.status != 0)
        #expect(contradiction.stderr.contains("contradicts"))
        #expect(try workspace.sealkit(["--cert", "cert.pem", "-n", "prod"], stdin: Self.secret).status == 0)
    }

    @Test("--merge-into keeps every other ciphertext byte for byte and the file's format") func mergeInto() throws {
        let workspace = try Workspace()
        try workspace.write("secret.yaml", Self.secret)
        #expect(try workspace.sealkit(["--cert", "cert.pem", "-f", "secret.yaml", "-w", "sealed.yaml"]).status == 0)
        let before = try workspace.read("sealed.yaml")
        let update = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: rotated, token: new}\n"
        let merged = try workspace.sealkit(["--cert", "cert.pem", "--merge-into", "sealed.yaml"], stdin: update)
        #expect(merged.status == 0, "\(merged.stderr)")
        let after = try workspace.read("sealed.yaml")
        #expect(after.hasPrefix("---\napiVersion: bitnami.com/v1alpha1"))
        let keep = before.split(separator: "\n").filter { $0.contains("config.yaml:") || $0.contains("pin:") }
        #expect(keep.count == 2)
        for line in keep { #expect(after.contains(line)) }
        let changed = before.split(separator: "\n").first { $0.contains("password:") }!
        #expect(!after.contains(changed))
        let unsealed = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", "key.pem", "-f", "sealed.yaml"])
        #expect(unsealed.stdout.contains("\"token\": \"bmV3\""))
        #expect(unsealed.stdout.contains("\"password\": \"cm90YXRlZA==\""))
    }

    @Test("keys generate writes a private key only its owner can read") func keysGenerate() throws {
        let workspace = try Workspace()
        let result = try workspace.sealkit(["keys", "generate", "--key-size", "2048", "--key-file", "new.key", "--cert-file", "new.crt",
                                            "--secret", "key-secret.yaml", "--my-cn", "test"])
        #expect(result.status == 0, "\(result.stderr)")
        for file in ["new.key", "key-secret.yaml"] {
            let mode = try FileManager.default.attributesOfItem(atPath: workspace.path(file).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file) must be 0600")
        }
        #expect(try workspace.read("new.key").hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(!result.stderr.contains("PRIVATE KEY"))
        let again = try workspace.sealkit(["keys", "generate", "--key-size", "2048", "--key-file", "new.key", "--cert-file", "new.crt"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already exists"))

        // The pair works end to end, and the key Secret serves as a recovery key.
        let sealed = try workspace.sealkit(["--cert", "new.crt"], stdin: Self.secret)
        #expect(sealed.status == 0, "\(sealed.stderr)")
        for key in ["new.key", "key-secret.yaml", "key.pem,key-secret.yaml"] {
            let unsealed = try workspace.sealkit(["--recovery-unseal", "--recovery-private-key", key], stdin: sealed.stdout)
            #expect(unsealed.status == 0, "\(key): \(unsealed.stderr)")
        }
    }
}

@Suite("Key lifecycle commands")
struct KeyLifecycleTests {
    @Test("inspect shows fingerprint, size, dates and which key seals") func inspect() throws {
        let workspace = try Workspace()
        try workspace.copyPrivateKey("other_key.pem", as: "other.pem")
        let result = try workspace.sealkit(["keys", "inspect", "cert.pem", "other.pem"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("SHA256:Efm+uTBTnAB4fwRN9AKInuPCqRlEo6X+RWf6FcrDhpI  4096"))
        #expect(result.stdout.contains("2036-11-18T23:29:05Z"))
        #expect(result.stdout.contains("newest (seals)"))
        #expect(!result.stdout.contains("PRIVATE KEY"))
        let bad = try workspace.sealkit(["keys", "inspect", "nope.pem"])
        #expect(bad.status != 0)
    }

    @Test("inventory counts items per key") func inventory() throws {
        let workspace = try Workspace()
        try workspace.copyPrivateKey("other_key.pem", as: "other.pem")
        try FileManager.default.createDirectory(at: workspace.path("repo"), withIntermediateDirectories: true)
        let sealed = try workspace.sealkit(["--cert", "cert.pem", "-o", "yaml"], stdin: CLITests.secret)
        try workspace.write("repo/a.yaml", sealed.stdout)
        let result = try workspace.sealkit(["keys", "inventory", "repo", "--recovery-private-key", "key.pem,other.pem"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("SHA256:Efm+uTBTnAB4fwRN9AKInuPCqRlEo6X+RWf6FcrDhpI  3      1"))
        #expect(result.stdout.contains("(no longer needed by this repository)"))
    }
}
