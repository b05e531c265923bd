import ArgumentParser
import Foundation
import SealKit

/// `sealkit keys …`: key pairs for trying SealKit without a cluster, and for offline use.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and inspect sealing key pairs.",
        subcommands: [GenerateKey.self, InspectKeys.self, KeyInventory.self, BackupKeys.self]
    )
}

/// Writes a new RSA key pair as the controller would make it: PKCS#1 private key (mode 0600)
/// and a self-signed certificate, optionally also as a key Secret manifest.
struct GenerateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a key pair and self-signed certificate for sealing.",
        discussion: """
            Seal with the certificate (--cert), unseal with the private key \
            (--recovery-private-key). The key is written with mode 0600; keep it out of git.
            """
    )

    // Names differ from the sealing flags (--cert, --namespace): the root command's options are
    // also accepted after a subcommand, and would otherwise capture these.
    @Option(name: .customLong("key-file"), help: ArgumentHelp("Private key output (PEM, PKCS#1).", valueName: "file"))
    var privateKey = "tls.key"

    @Option(name: .customLong("cert-file"), help: ArgumentHelp("Certificate output (PEM).", valueName: "file"))
    var cert = "tls.crt"

    @Option(help: ArgumentHelp("Also write the pair as a key Secret manifest (YAML), as the controller stores it.", valueName: "file"))
    var secret: String?

    @Option(name: .customLong("secret-namespace"), help: "Namespace of the key Secret.")
    var namespace = "kube-system"

    @Option(help: "RSA key size in bits.")
    var keySize = 4096

    @Option(name: .customLong("my-cn"), help: "Common name of the certificate subject.")
    var commonName = ""

    @Option(help: ArgumentHelp("Certificate validity, e.g. 87600h or 3650d.", valueName: "duration"))
    var validity = "87600h"

    @Flag(help: "Overwrite existing files.")
    var force = false

    func run() async throws {
        do {
            try generate()
        } catch {
            throw CLIFailure(CLIFailure.describe(error))
        }
    }

    private func generate() throws {
        let lifetime: Double
        do throws(GoDuration.ParseError) { lifetime = try GoDuration.parse(validity) } catch {
            throw CLIFailure("--validity \(validity): \(error == .malformed ? "expected a duration such as 87600h, 3650d or 30m" : "\(error)")")
        }
        guard lifetime > 0 else { throw CLIFailure("--validity \(validity): must be positive") }
        let outputs = [privateKey, cert] + (secret.map { [$0] } ?? [])
        if !force, let existing = outputs.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw CLIFailure("\(existing) already exists; pass --force to overwrite it")
        }
        let key = try PrivateKey.generateRSA(bits: keySize)
        let certificate = try Certificate.selfSigned(for: key, commonName: commonName, validity: lifetime)
        let pem = key.pkcs1PEM()
        try pem.withUnsafeBytes { raw in
            try AtomicFile.writeConfidential(raw, to: privateKey)
        }
        try AtomicFile.write(Array(certificate.pem().utf8), to: cert, permissions: 0o644, forcePermissions: true)
        if let secret {
            let manifest = KeySecrets.secret(for: key, certificate: certificate, namespace: namespace)
            try AtomicFile.writeConfidential(try YAMLWriter.write(manifest.node()), to: secret)
        }
        Console.err("""
            wrote \(privateKey) (private key, mode 0600) and \(cert) (certificate, valid until \(certificate.notAfter.formatted(.iso8601)))
            public key fingerprint \(certificate.publicKey.fingerprint)

            """)
    }
}
