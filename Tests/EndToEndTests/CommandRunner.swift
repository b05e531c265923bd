import Foundation
import Testing
import TestSupport

/// Runs the real built binaries. Output goes through temporary files, not pipes, so a chatty
/// child can never block on a full pipe while the test waits for it.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum Binaries {
    /// The products directory (`.build/debug`), where `swift build` put the executables.
    static let directory: URL = Bundle.module.bundleURL.deletingLastPathComponent()

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Reference key pair and vectors, shared with the core tests.
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SealKitTests/Fixtures/vectors/public")

    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
}

@discardableResult
func run(_ executable: URL, _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
         in directory: URL) throws -> CommandResult {
    let invocation = try Invocation(executable, arguments, stdin: stdin, environment: environment, in: directory)
    try invocation.process.run()
    invocation.process.waitUntilExit()
    return try invocation.result()
}

/// The same, without blocking a thread of the concurrency pool while the child runs. Tests
/// that talk to the in-process API server must use this one: the server's handlers run on that
/// pool, and two blocked threads on a 2-core machine would leave none to answer the child.
@discardableResult
func runAsync(_ executable: URL, _ arguments: [String], stdin: String = "", environment: [String: String] = [:],
              in directory: URL) async throws -> CommandResult {
    let invocation = try Invocation(executable, arguments, stdin: stdin, environment: environment, in: directory)
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        invocation.process.terminationHandler = { _ in continuation.resume() }
        do { try invocation.process.run() } catch {
            invocation.process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    return try invocation.result()
}

/// A child process set up with its output going to temporary files.
private struct Invocation {
    let process = Process()
    let scratch: URL
    let outputURL: URL
    let errorURL: URL

    init(_ executable: URL, _ arguments: [String], stdin: String, environment: [String: String], in directory: URL) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let inputURL = scratch.appendingPathComponent("stdin")
        outputURL = scratch.appendingPathComponent("stdout")
        errorURL = scratch.appendingPathComponent("stderr")
        try Data(stdin.utf8).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        // A clean, predictable environment: no kubeconfig or SEALED_SECRETS_* from the developer's shell.
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path]
        env.merge(environment) { $1 }
        process.environment = ChildEnvironment.with(env)
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
    }

    func result() throws -> CommandResult {
        defer { try? FileManager.default.removeItem(at: scratch) }
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        )
    }
}

/// A fresh directory per test, removed afterwards.
final class Workspace {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Binaries.vectors.appendingPathComponent("cert.pem"), to: path("cert.pem"))
        try copyPrivateKey("key.pem")
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes a file only its owner can read, as a careful user keeps keys and plaintext (and
    /// as sealkit requires of `--recovery-private-key` files).
    func write(_ name: String, _ text: String, mode: Int = 0o600) throws {
        try Data(text.utf8).write(to: path(name))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path(name).path)
    }

    /// Copies a private key from the reference vectors, mode 0600.
    func copyPrivateKey(_ vector: String, as name: String? = nil) throws {
        try FileManager.default.copyItem(at: Binaries.vectors.appendingPathComponent(vector), to: path(name ?? vector))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path(name ?? vector).path)
    }

    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: path(name)), as: UTF8.self)
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name).path) }

    @discardableResult
    func sealkit(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> CommandResult {
        try run(Binaries.url("sealkit"), arguments, stdin: stdin, environment: environment, in: url)
    }

    @discardableResult
    func sealkitAsync(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) async throws -> CommandResult {
        try await runAsync(Binaries.url("sealkit"), arguments, stdin: stdin, environment: environment, in: url)
    }
}
