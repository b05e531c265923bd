import ArgumentParser
import Foundation
import KubeClient
import SealKit

/// `sealkit keys inspect [FILE...]`: fingerprint, size, validity of keys and certificates,
/// from files (PEM, key Secrets, backup Lists) or, with no files, from the cluster.
struct InspectKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show fingerprint, size, validity and expiry warnings of sealing keys.",
        aliases: ["list"]
    )

    @Argument(help: "Key or certificate files (PEM, key Secret, List). None: the controller's key Secrets in the cluster.")
    var files: [String] = []

    @OptionGroup(title: "Cluster (when no files are given)")
    var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Warn about certificates expiring within this many days.", valueName: "days"))
    var warnDays = 30

    func run() async throws {
        let material = try await KeySources.load(files: files, connection: connection)
        let newest = material.filter { $0.certificate != nil }.max { $0.certificate!.notBefore < $1.certificate!.notBefore }
        let now = Date()
        var rows = [["NAME", "FINGERPRINT", "BITS", "NOT BEFORE", "NOT AFTER", "PRIVATE", "NOTE"]]
        for key in material {
            var notes: [String] = []
            if let newest, key.fingerprint == newest.fingerprint, key.name == newest.name { notes.append("newest (seals)") }
            if let notAfter = key.certificate?.notAfter {
                if notAfter < now {
                    notes.append("EXPIRED")
                } else if notAfter < now.addingTimeInterval(TimeInterval(warnDays) * 86400) {
                    notes.append("expires in \(Int(notAfter.timeIntervalSince(now) / 86400)) days")
                }
            }
            rows.append([
                key.name, key.fingerprint ?? "?", String(key.publicKey?.bits ?? 0),
                key.certificate.map { $0.notBefore.formatted(.iso8601) } ?? "-",
                key.certificate.map { $0.notAfter.formatted(.iso8601) } ?? "-",
                key.privateKey == nil ? "no" : "yes", notes.joined(separator: ", "),
            ])
        }
        try Console.out(Array(Table.render(rows).utf8))
    }
}

/// `sealkit keys inventory PATH...`: which SealedSecrets are sealed to which key, so a key can
/// be retired once nothing needs it.
struct KeyInventory: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "Report which key each SealedSecret item in a repository is sealed to."
    )

    @Argument(help: "Files or directories to scan.")
    var paths: [String]

    @OptionGroup(title: "Keys")
    var keys: RecoveryKeysOption

    @Flag(help: "List every item, not only the totals per key.")
    var verbose = false

    func run() async throws {
        let privateKeys = try keys.load()
        let fingerprints = privateKeys.map(\.publicKey.fingerprint)
        var counts: [String: Int] = [:]
        var objects: [String: Set<String>] = [:]
        var lines: [String] = []
        // The key that opened the last value is tried first: one RSA operation per value when
        // a repository was sealed to few keys.
        var lastKey: [Int] = []
        var attempts = 0
        for path in try RepositoryWalker.files(under: paths) {
            guard let data = FileManager.default.contents(atPath: path),
                  let documents = try? YAMLReader.manifests(Array(data)) else { continue }
            for document in documents where document.root.mapping?["kind"]?.scalar?.text == SealedSecret.kind {
                guard let sealed = try? SealedSecret(node: document.root), let name = sealed.metadata.name else { continue }
                let label = sealed.scope.label(namespace: sealed.metadata.namespace ?? "", name: name)
                let object = "\(path) (document \(document.index)) \(sealed.metadata.namespace ?? "")/\(name)"
                for item in sealed.encryptedData {
                    var owner = "no known key"
                    if let bytes = try? Base64.decode(item.ciphertext),
                       let opened = try? HybridCipher.open(bytes, with: privateKeys, label: label, tryingFirst: lastKey, attempts: &attempts) {
                        owner = fingerprints[opened.keyIndex]
                        lastKey = [opened.keyIndex]
                    }
                    counts[owner, default: 0] += 1
                    objects[owner, default: []].insert(object)
                    if verbose { lines.append("\(owner)  \(object) item \"\(item.key)\"") }
                }
            }
        }
        var rows = [["KEY", "ITEMS", "SEALEDSECRETS"]]
        for key in counts.keys.sorted() { rows.append([key, String(counts[key]!), String(objects[key]!.count)]) }
        for fingerprint in Set(fingerprints) where counts[fingerprint] == nil {
            rows.append([fingerprint, "0", "0 (no longer needed by this repository)"])
        }
        try Console.out(Array((lines.map { $0 + "\n" }.joined() + Table.render(rows)).utf8))
    }
}

/// `sealkit keys backup FILE`: the controller's key Secrets as a `List`, the format
/// `--recovery-private-key` reads. The file holds private keys: it is written 0600.
struct BackupKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Save the controller's key Secrets as a List (for --recovery-private-key)."
    )

    @OptionGroup(title: "Cluster")
    var connection: ConnectionOptions

    // A positional argument: the sealing command's `-w` is also accepted after a subcommand
    // and would capture an option of that name.
    @Argument(help: ArgumentHelp("File to write (mode 0600).", valueName: "file"))
    var output: String

    func run() async throws {
        let items = try await KeySources.clusterKeySecrets(connection)
        guard !items.isEmpty else {
            throw CLIFailure("no key Secrets labelled \(KeySecrets.keyLabel) in \(connection.controllerNamespace)")
        }
        let list = Node.mapping(Mapping([
            "apiVersion": .string("v1"),
            "kind": .string("List"),
            "items": .sequence(items.map { object in
                var copy = object
                var metadata = copy.metadata
                metadata.removeServerSetFields()
                copy.metadata = metadata
                return copy.node
            }),
        ]))
        let bytes: [UInt8]
        do { bytes = try YAMLWriter.write(list) } catch { throw CLIFailure("cannot write YAML: \(error)") }
        do { try AtomicFile.writeConfidential(bytes, to: output) } catch {
            throw CLIFailure(error.description)
        }
        Console.err("wrote \(items.count) key Secret(s) to \(output) (mode 0600); keep it somewhere safe\n")
    }
}

/// Where keys come from: files, or the controller's namespace in the cluster.
enum KeySources {
    static func load(files: [String], connection: ConnectionOptions) async throws(CLIFailure) -> [KeyMaterial] {
        if files.isEmpty {
            var material: [KeyMaterial] = []
            for object in try await clusterKeySecrets(connection) {
                do { material += try KeySecrets.material(from: JSONWriter.write(object.node), source: object.name ?? "") } catch {
                    Console.err("warning: key Secret \(object.name ?? ""): \(error)\n")
                }
            }
            return material
        }
        var material: [KeyMaterial] = []
        for path in files {
            let file = try InputFile.read(path)
            do { material += try KeySecrets.material(from: file.bytes, source: path) } catch {
                throw CLIFailure(source: path, error)
            }
        }
        return material
    }

    static func clusterKeySecrets(_ connection: ConnectionOptions) async throws(CLIFailure) -> [KubeObject] {
        try await ControllerProxy.with(connection) { controller throws(CLIFailure) in
            do throws(KubeError) {
                return try await controller.client.list(.secrets, namespace: connection.controllerNamespace,
                                                        options: ListOptions(labelSelector: KeySecrets.keyLabel)).items
            } catch {
                throw CLIFailure("cannot list key Secrets in \(connection.controllerNamespace): \(error.message)")
            }
        }
    }
}

/// Plain column-aligned text, like kubectl's tables.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        let widths = (0 ..< first.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
