import Foundation
public import SealKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a kubeconfig `exec` credential plugin the way client-go does, and caches what it returns.
///
/// The plugin runs when the first request needs a credential, not when the kubeconfig is read,
/// and again only when the cached credential's `expirationTimestamp` has passed or the API
/// server answered 401 to it. Concurrent requests wait for one run instead of starting several
/// (a browser login must not open five tabs). The credential is never logged; errors name the
/// plugin and quote at most the last line of its stderr, never its stdout.
public actor ExecCredentialProvider {
    public let configuration: ExecPluginConfiguration
    public let cluster: ExecClusterInfo
    private let environment: [String: String]
    private let standardInputInUse: Bool
    private let standardInputIsTerminal: @Sendable () -> Bool

    private var cached: ExecCredential?
    private var generation = 0
    private var pending: Task<Result<ExecCredential, KubeError>, Never>?
    /// How many times the plugin has been started (for tests and debugging).
    public private(set) var runCount = 0

    /// - Parameters:
    ///   - environment: this process's environment: the plugin inherits it (plus the
    ///     kubeconfig's `env`), and `PATH` in it is where a bare command name is looked up.
    ///   - standardInputInUse: stdin carries input (a Secret to seal), so a plugin must not read
    ///     it; kubectl's "standard input is unavailable".
    public init(configuration: ExecPluginConfiguration, cluster: ExecClusterInfo, environment: [String: String],
                standardInputInUse: Bool = false,
                standardInputIsTerminal: (@Sendable () -> Bool)? = nil) {
        self.configuration = configuration
        self.cluster = cluster
        self.environment = environment
        self.standardInputInUse = standardInputInUse
        self.standardInputIsTerminal = standardInputIsTerminal ?? { isatty(0) == 1 }
    }

    /// The credential to use now, with a generation number to hand back to ``invalidate(generation:)``.
    public func credential() async throws(KubeError) -> (credential: ExecCredential, generation: Int) {
        if let cached, !cached.isExpired(at: Date()) { return (cached, generation) }
        let task: Task<Result<ExecCredential, KubeError>, Never>
        if let pending {
            task = pending
        } else {
            task = Task { await self.runPlugin() }
            pending = task
        }
        let result = await task.value
        if pending == task {
            pending = nil
            if case .success(let credential) = result {
                cached = credential
                generation += 1
            }
        }
        return (try result.get(), generation)
    }

    /// Forgets the credential the server rejected (401), unless a newer one already replaced it,
    /// so one rejection causes at most one new run however many requests saw it.
    public func invalidate(generation rejected: Int) {
        if rejected == generation { cached = nil }
    }

    private func runPlugin() async -> Result<ExecCredential, KubeError> {
        let name = configuration.command
        let interactive: Bool
        switch decideInteractive() {
        case .success(let value): interactive = value
        case .failure(let error): return .failure(error)
        }
        guard let path = Self.resolve(name, path: environment["PATH"]) else {
            var message = "exec plugin: executable \"\(name)\" not found"
            if let hint = configuration.installHint {
                message += "; " + hint.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }.joined(separator: " ")
            }
            return .failure(KubeError(.configuration, message))
        }
        var childEnvironment = environment
        for (key, value) in configuration.environment { childEnvironment[key] = value }
        childEnvironment["KUBERNETES_EXEC_INFO"] = String(decoding: JSONWriter.write(execInfo(interactive: interactive), pretty: false),
                                                          as: UTF8.self)
        runCount += 1
        let outcome: PluginProcess.Outcome
        switch await PluginProcess.run(path: path, arguments: configuration.arguments, environment: childEnvironment,
                                       interactive: interactive) {
        case .success(let value): outcome = value
        case .failure(let failure):
            let reason = String(cString: strerror(failure.code))
            return .failure(KubeError(.configuration, "exec plugin \"\(name)\": cannot run \(path): \(reason)"))
        }
        guard outcome.exitCode == 0 else {
            var message = "exec plugin \"\(name)\" failed with exit code \(outcome.exitCode)"
            if let line = Self.lastLine(outcome.standardError) { message += ": \(line)" }
            return .failure(KubeError(.configuration, message))
        }
        do throws(KubeError) {
            return .success(try ExecCredential.parse(outcome.standardOutput, apiVersion: configuration.apiVersion, plugin: name))
        } catch {
            return .failure(error)
        }
    }

    /// kubectl's rules: `Never` is never interactive; `IfAvailable` is when stdin is a terminal
    /// nothing else reads; `Always` refuses to run without one.
    private func decideInteractive() -> Result<Bool, KubeError> {
        switch configuration.interactiveMode {
        case .never:
            return .success(false)
        case .ifAvailable:
            return .success(!standardInputInUse && standardInputIsTerminal())
        case .always:
            let name = configuration.command
            guard standardInputIsTerminal() else {
                return .failure(KubeError(.configuration, "exec plugin \"\(name)\" needs an interactive terminal (interactiveMode: Always), but standard input is not a terminal"))
            }
            guard !standardInputInUse else {
                return .failure(KubeError(.configuration, "exec plugin \"\(name)\" needs an interactive terminal (interactiveMode: Always), but standard input is unavailable: it carries the input; pass it with -f instead"))
            }
            return .success(true)
        }
    }

    /// The `ExecCredential` passed in `KUBERNETES_EXEC_INFO`, always (as client-go does):
    /// `spec.interactive`, and `spec.cluster` when `provideClusterInfo` is set.
    func execInfo(interactive: Bool) -> Node {
        var spec = Mapping()
        if configuration.provideClusterInfo { spec["cluster"] = cluster.node }
        spec["interactive"] = .bool(interactive)
        return .mapping(Mapping([
            "kind": .string("ExecCredential"),
            "apiVersion": .string(configuration.apiVersion),
            "spec": .mapping(spec),
        ]))
    }

    /// A command with a slash is a path; a bare name is looked up on `PATH` like `exec.LookPath`.
    static func resolve(_ command: String, path: String?) -> String? {
        if command.contains("/") {
            return FileManager.default.isExecutableFile(atPath: command) ? command : nil
        }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + command
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate.hasPrefix("/") ? candidate : FileManager.default.currentDirectoryPath + "/" + candidate
            }
        }
        return nil
    }

    /// The last non-empty line of stderr, trimmed and capped, for a one-line error.
    static func lastLine(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(whereSeparator: \.isNewline).last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return nil
        }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 300 ? String(trimmed.prefix(300)) + "…" : trimmed
    }
}
