import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a credential plugin to completion on a thread of its own, so that waiting for it never
/// holds a thread of Swift's cooperative pool (on a 2-core machine two waiting plugins would
/// otherwise stall every request, including the in-process test server's).
///
/// `posix_spawn` rather than Foundation's `Process`: the child gets an empty signal mask and
/// default handlers (threads of this process block signals, and a child inherits that mask, so a
/// plugin waiting for Ctrl-C or SIGALRM would never see it), and its output is read with `poll`
/// from both pipes at once, so a chatty plugin cannot block on a full pipe.
enum PluginProcess {
    struct Outcome: Sendable {
        /// The exit code, or 128 + signal number when a signal ended it (as shells report it).
        let exitCode: Int32
        let standardOutput: [UInt8]
        /// What the plugin wrote to stderr (empty when it was passed through to a terminal).
        let standardError: [UInt8]
    }

    struct SpawnFailure: Error {
        let code: Int32
    }

    /// Most stdout kept: an ExecCredential is a few KiB; anything beyond this is not one.
    static let maximumOutput = 4 << 20
    /// Most stderr kept (its tail), enough for the last line of an error message.
    static let maximumErrorOutput = 64 << 10

    /// - Parameters:
    ///   - path: an absolute path to the executable (already looked up on `PATH`).
    ///   - interactive: give the plugin this process's stdin and stderr (a terminal) for prompts;
    ///     otherwise stdin is `/dev/null` and stderr is captured.
    static func run(path: String, arguments: [String], environment: [String: String],
                    interactive: Bool) async -> Result<Outcome, SpawnFailure> {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: runBlocking(path: path, arguments: arguments, environment: environment,
                                                           interactive: interactive))
            }
            thread.name = "sealkit-credential-plugin"
            thread.start()
        }
    }

    private static func runBlocking(path: String, arguments: [String], environment: [String: String],
                                    interactive: Bool) -> Result<Outcome, SpawnFailure> {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard makePipe(&outputPipe) else { return .failure(SpawnFailure(code: errno)) }
        if !interactive, !makePipe(&errorPipe) {
            let code = errno
            close(outputPipe[0]); close(outputPipe[1])
            return .failure(SpawnFailure(code: code))
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the target descriptor; every other descriptor of ours is
        // close-on-exec, so the plugin sees only these three.
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        if !interactive {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(outputPipe[1])
        if !interactive { close(errorPipe[1]) }
        guard spawned == 0 else {
            close(outputPipe[0])
            if !interactive { close(errorPipe[0]) }
            return .failure(SpawnFailure(code: spawned))
        }

        let (output, errorOutput) = drain(output: outputPipe[0], error: interactive ? nil : errorPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros: decode the wait status by hand.
        let signal = status & 0x7F
        let exitCode = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return .success(Outcome(exitCode: exitCode, standardOutput: output, standardError: errorOutput))
    }

    /// A pipe whose ends are closed on exec, so no other child started meanwhile inherits them.
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return true
    }

    /// Reads both pipes until both reach end of file, keeping at most `maximumOutput` of stdout
    /// and the last `maximumErrorOutput` bytes of stderr; closes both descriptors.
    private static func drain(output: Int32, error: Int32?) -> ([UInt8], [UInt8]) {
        var open = [output] + (error.map { [$0] } ?? [])
        var collected: [Int32: [UInt8]] = [:]
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while !open.isEmpty {
            var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in descriptors where entry.revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                    continue
                }
                var bytes = collected[entry.fd, default: []]
                if entry.fd == output {
                    if bytes.count < maximumOutput { bytes += buffer[0 ..< count] }
                } else {
                    bytes += buffer[0 ..< count]
                    if bytes.count > maximumErrorOutput { bytes.removeFirst(bytes.count - maximumErrorOutput) }
                }
                collected[entry.fd] = bytes
            }
        }
        for descriptor in open { close(descriptor) }
        return (collected[output] ?? [], error.flatMap { collected[$0] } ?? [])
    }
}
