import Foundation
import Testing

/// The fixture deployment repository of issue #14 (`Fixtures/gitops`), copied into a fresh
/// directory per test:
/// - `repo/`: the deployment repository — `.sealkit.yaml` (clusters dev, 2048-bit, and prod,
///   3072-bit, with their certificates in `certs/` and pinned fingerprints; rules for
///   `overlays/dev/**` namespace-wide and `overlays/prod/**` strict; `requireSealed` for
///   `overlays/*/secrets/**`; an allowed tutorial Secret in `docs/examples`), a kustomize `base/`,
///   and `overlays/dev`, `overlays/prod` holding `api-token.yaml`, sealed for each cluster;
/// - `input/`: plaintext Secrets to seal — outside the repository, as on a developer's machine;
/// - `keys/`: each cluster's private key, to check by unsealing who can open what;
/// - `planted-guard/`, `planted-lint/`: files that, copied over `repo/`, plant the defects the
///   tests expect `guard` and `lint` to report.
final class GitOpsFixture {
    let workspace: Workspace
    var repo: URL { workspace.url.appendingPathComponent("repo") }

    init() throws {
        workspace = try Workspace()
        let source = Binaries.fixtures.appendingPathComponent("gitops")
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: workspace.path(name))
        }
        // As a careful operator keeps them (and as --recovery-private-key requires): owner-only.
        for cluster in ["dev", "prod"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: workspace.path("keys/\(cluster).key").path)
        }
    }

    /// Copies every file of `gitops/<directory>` into `repo/`, over what is there.
    func plant(_ directory: String) throws {
        let source = workspace.path(directory)
        let enumerator = FileManager.default.enumerator(atPath: source.path)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source.appendingPathComponent(relative).path, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            let target = repo.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: source.appendingPathComponent(relative), to: target)
        }
    }

    func write(_ path: String, _ text: String) throws {
        let url = repo.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: repo.appendingPathComponent(path)), as: UTF8.self)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: repo.appendingPathComponent(path).path)
    }

    /// Runs `sealkit` in `repo/` (or a directory below it).
    @discardableResult
    func sealkit(_ arguments: [String], in subdirectory: String = "", environment: [String: String] = [:]) throws -> CommandResult {
        try run(Binaries.url("sealkit"), arguments, environment: environment,
                in: subdirectory.isEmpty ? repo : repo.appendingPathComponent(subdirectory))
    }

    /// `sealkit --recovery-unseal` of a repository file with one cluster's private key.
    func unseal(_ path: String, cluster: String) throws -> CommandResult {
        try sealkit(["--recovery-unseal", "--recovery-private-key", "../keys/\(cluster).key", "-f", path, "-o", "yaml"])
    }

    /// PATH with the built binaries first, as an installed sealkit would be.
    static var pathWithBinaries: String {
        Binaries.directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }

    static let gitIdentity = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                              "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
                              "PATH": pathWithBinaries]

    @discardableResult
    func git(_ arguments: [String]) throws -> CommandResult {
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["git"] + arguments, environment: Self.gitIdentity, in: repo)
    }

    @discardableResult
    func shell(_ script: String) throws -> CommandResult {
        try run(URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: Self.gitIdentity, in: repo)
    }
}

/// `file:line: … [rule]` lines of a text report, as (file, line, rule).
func findingLines(_ output: String) -> [String] {
    output.split(separator: "\n").compactMap { line -> String? in
        let parts = line.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, let rule = line.split(separator: "[").last?.dropLast() else { return nil }
        return "\(parts[0]):\(parts[1]) \(rule)"
    }.sorted()
}
