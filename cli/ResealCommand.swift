import ArgumentParser
import Foundation
import SealKit

/// `sealkit reseal PATH...`: re-encrypt every SealedSecret in a repository to a new key, in
/// place and byte-preserving, offline (old private keys + new certificate) or through the
/// controller's `/v1/rotate`.
struct ResealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reseal",
        abstract: "Re-seal every SealedSecret under the given paths to a new key (key rotation).",
        discussion: """
            Walks files and directories (YAML and JSON, multi-document files, kustomize trees), \
            skipping .git and anything git ignores, and re-seals each encryptedData item. Only the \
            ciphertext scalars change: comments, key order, quoting and other documents stay byte \
            for byte. Each file is written atomically. Scope, name and namespace are kept exactly.

            Offline (default): --recovery-private-key gives the old keys, --cert the target. Items \
            the target's own key opens (pass it among the private keys) are left alone, so a second \
            run changes nothing; --only-keys limits the change to items sealed to given keys.
            Online (--online): the controller re-seals each object with its newest key.

            Examples:
              sealkit reseal . --recovery-private-key old.key,new.key --cert new.crt
              sealkit reseal manifests/ --recovery-private-key backup.yaml --cert prod.crt --dry-run
              sealkit reseal . --online --report json > report.json
            """
    )

    @Argument(help: "Files or directories to re-seal.")
    var paths: [String]

    @OptionGroup(title: "Target")
    var certificate: CertificateOption

    @OptionGroup(title: "Old keys (offline mode)")
    var keys: RecoveryKeysOption

    @OptionGroup(title: "Controller (online mode, and --cert from the controller)")
    var connection: ConnectionOptions

    @Flag(help: "Ask the controller to re-seal (through the API server proxy) instead of using private keys.")
    var online = false

    @Option(name: .customLong("only-keys"), parsing: .upToNextOption,
            help: ArgumentHelp("Only re-seal items sealed to these key fingerprints (SHA256:...).", valueName: "fingerprint"))
    var onlyKeys: [String] = []

    @Flag(help: "List what would change; write nothing.")
    var dryRun = false

    @Flag(name: .customLong("from-sops"), help: ArgumentHelp(
        "Convert SOPS-encrypted Secrets into SealedSecrets (age identities as sops finds them), written beside each file as NAME.sealed.yaml.",
        discussion: "Needs the target certificate (--cert, or the controller's). Other files are not touched."))
    var fromSOPS = false

    @Flag(help: "With --from-sops: replace each SOPS file with its SealedSecrets instead of writing beside it.")
    var replace = false

    @Option(help: ArgumentHelp("Also print a machine-readable report: json.", valueName: "format"))
    var report: ReportFormat?

    enum ReportFormat: String, ExpressibleByArgument {
        case json
    }

    func run() async throws {
        let failures: Int
        do {
            failures = try await execute()
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(CLIFailure.describe(error))
        }
        if failures > 0 { throw ExitCode.failure }
    }

    func validate() throws {
        if replace, !fromSOPS { throw ValidationError("--replace is only used with --from-sops") }
        if fromSOPS, online || !onlyKeys.isEmpty { throw ValidationError("--from-sops cannot be combined with --online or --only-keys") }
    }

    /// Runs the re-seal and returns how many items or files failed.
    private func execute() async throws -> Int {
        let context = CommandContext(certificate: certificate, keys: keys, connection: connection, namespaceFlag: nil)
        let files = try RepositoryWalker.files(under: paths)
        if fromSOPS {
            let outcome = try await ResealFromSOPS(context: context, replace: replace, dryRun: dryRun).run(files)
            Console.err((outcome.skipped.map { "skipped \($0)\n" } + outcome.failed.map { "failed: \($0)\n" }).joined())
            Console.err("files scanned \(outcome.scanned), SOPS files \(dryRun ? "to convert" : "converted") \(outcome.converted), Secrets sealed \(outcome.secrets), skipped \(outcome.skipped.count), failed \(outcome.failed.count)\n")
            return outcome.failed.count
        }
        let strategy: FileResealer.Strategy
        var controller: ControllerProxy?
        if online {
            let proxy = try ControllerProxy.connect(connection)
            controller = proxy
            strategy = .online { sealed in
                let answer = try await proxy.rotate(JSONWriter.write(sealed.node(), pretty: false))
                guard let root = try YAMLReader.manifests(answer).first?.root else { throw CLIFailure("empty answer from the controller") }
                return try SealedSecret(node: root)
            }
        } else {
            let keys = try context.recoveryKeys()
            let target = try await context.certificate()
            strategy = .offline(oldKeys: keys, target: target.publicKey, onlyKeys: onlyKeys.isEmpty ? nil : Set(onlyKeys))
        }
        let progress = Progress(total: files.count)
        let results = await ResealRun(resealer: FileResealer(strategy: strategy), dryRun: dryRun).run(files, progress: progress)
        await controller?.client.shutdown()
        progress.finish()

        let summary = ResealSummary(results)
        Console.err((summary.lines(dryRun: dryRun) + [summary.totals(dryRun: dryRun)]).map { $0 + "\n" }.joined())
        if report == .json {
            try Console.out(JSONWriter.write(summary.report(dryRun: dryRun)))
        }
        return summary.failed
    }
}

/// Files to consider: YAML and JSON under the given paths, without `.git` and what git ignores.
enum RepositoryWalker {
    static let extensions: Set<String> = ["yaml", "yml", "json"]

    static func files(under paths: [String]) throws(CLIFailure) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIFailure("\(path): no such file or directory")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            guard let enumerator = FileManager.default.enumerator(atPath: path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name == ".git" {
                    enumerator.skipDescendants()
                    continue
                }
                if extensions.contains((name as NSString).pathExtension.lowercased()) {
                    files.append(path == "." ? relative : (path as NSString).appendingPathComponent(relative))
                }
            }
        }
        return removingGitIgnored(files).sorted()
    }

    /// Asks git which of `files` it ignores: one `git check-ignore --stdin` per repository
    /// root, with absolute paths; outside a repository, or without git, nothing is ignored.
    private static func removingGitIgnored(_ files: [String]) -> [String] {
        guard !files.isEmpty else { return files }
        let current = FileManager.default.currentDirectoryPath
        let absolute = files.map { $0.hasPrefix("/") ? $0 : (current as NSString).appendingPathComponent($0) }
        var ignored = Set<String>()
        // Group by directory so each `git -C` runs inside the tree the files belong to.
        let byDirectory = Dictionary(grouping: absolute.indices) { (absolute[$0] as NSString).deletingLastPathComponent }
        var checkedRoots: [String: Set<String>] = [:]
        for (directory, indices) in byDirectory {
            let root = gitRoot(of: directory) ?? ""
            guard !root.isEmpty else { continue }
            checkedRoots[root, default: []].formUnion(indices.map { absolute[$0] })
        }
        for (root, paths) in checkedRoots {
            ignored.formUnion(checkIgnore(Array(paths), root: root))
        }
        return files.indices.filter { !ignored.contains(absolute[$0]) }.map { files[$0] }
    }

    private static func gitRoot(of directory: String) -> String? {
        let (status, output) = git(["-C", directory, "rev-parse", "--show-toplevel"], input: nil)
        guard status == 0 else { return nil }
        let root = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return root.isEmpty ? nil : root
    }

    private static func checkIgnore(_ paths: [String], root: String) -> Set<String> {
        let (status, output) = git(["-C", root, "check-ignore", "--stdin", "-z"], input: Data(paths.joined(separator: "\0").utf8 + [0]))
        // 0: some paths ignored, 1: none; anything else: git could not tell, ignore nothing.
        guard status == 0 else { return [] }
        return Set(output.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
    }

    /// Runs git with stdin and stdout through pipes, read and written concurrently so neither
    /// side can block on a full pipe.
    private static func git(_ arguments: [String], input: Data?) -> (Int32, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, Data()) }
        let writer = Thread {
            // git may exit early (not a repository); the failed write is then expected.
            if let input { try? stdin.fileHandleForWriting.write(contentsOf: input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}
