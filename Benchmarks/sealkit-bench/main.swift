import Foundation
import SealKit

// Seal and unseal throughput next to OpenSSL's own RSA-4096 rates, measured in the same run on
// the same machine, so the figures are ratios rather than absolute times that depend on the box.
//
//   swift run -c release sealkit-bench [--seconds S] [--key key.pem]
//
// Sealing costs one RSA public operation per value and unsealing one private operation, so a
// ratio near 1.0 means SealKit adds little on top of the RSA work itself.

struct Options {
    var keyPath: String?
    var seconds = 3.0
    /// `--controller N`: benchmark the controller with N SealedSecrets instead.
    var controllerObjects: Int?
    /// `--many-keys N`: the controller with N objects sealed to the oldest of 12 keys, vs 1 key.
    var manyKeysObjects: Int?
    /// `--parse`: the parsing scale series; `--seal-items N`: one Secret of N items.
    var parse = false
    /// `--parse-sizes 1000,100000`: other entry counts for the parsing series (the first is the baseline).
    var parseSizes = [1_000, 10_000, 100_000]
    var sealItems: Int?
    /// `--smoke`: every benchmark once at a tiny size (tests run this; figures mean nothing).
    var smoke = false

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        /// The value after `option`, read by `parse`; a missing or unreadable one ends the run
        /// with a one-line error rather than measuring something other than what was asked.
        func value<T>(of option: String, _ parse: (String) -> T?) -> T {
            guard let text = iterator.next() else { Self.fail("\(option) needs a value") }
            guard let value = parse(text) else { Self.fail("\(option): '\(text)' is not a valid value") }
            return value
        }
        func positive(_ text: String) -> Int? { Int(text).flatMap { $0 > 0 ? $0 : nil } }
        while let argument = iterator.next() {
            switch argument {
            case "--key": keyPath = value(of: argument) { $0 }
            case "--seconds": seconds = value(of: argument) { Double($0).flatMap { $0 > 0 ? $0 : nil } }
            case "--controller": controllerObjects = value(of: argument, positive)
            case "--many-keys": manyKeysObjects = value(of: argument, positive)
            case "--parse": parse = true
            case "--parse-sizes":
                parse = true
                parseSizes = value(of: argument) { text in
                    let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { positive(String($0)) }
                    return sizes.isEmpty || sizes.contains(nil) ? nil : sizes.compactMap { $0 }
                }
            case "--seal-items": sealItems = value(of: argument, positive)
            case "--smoke": smoke = true
            default: Self.fail("unknown option \(argument)")
            }
        }
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("""
            sealkit-bench: \(message)
            usage: sealkit-bench [--seconds S] [--key key.pem] [--controller N | --many-keys N | --parse | --parse-sizes N,N,… | --seal-items N | --smoke]

            """.utf8))
        exit(2)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
}

/// `openssl speed -seconds S [-multi N] rsa4096`, as (private ops/s, public ops/s).
func opensslRates(seconds: Double, processes: Int, cpus: [Int]? = nil) throws -> (privateOps: Double, publicOps: Double) {
    // posix_spawn + waitpid rather than Foundation's Process: its exit notification depends on a
    // run loop that an async context does not turn, so waiting on it can hang.
    let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("openssl-speed-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: outputURL) }
    var arguments = ["openssl", "speed", "-seconds", String(Int(seconds.rounded(.up)))]
        + (processes > 1 ? ["-multi", String(processes)] : []) + ["rsa4096"]
    if let cpus { arguments = [CPUAffinity.taskset, "-c", CPUAffinity.list(cpus)] + arguments }
    arguments = ["/bin/sh", "-c", arguments.joined(separator: " ") + " > '\(outputURL.path)' 2>/dev/null"]
    var argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    // `openssl speed` times itself with SIGALRM; threads of this process block signals, and a
    // child inherits that mask, so give it an empty mask and default handlers.
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
    var pid: pid_t = 0
    guard posix_spawn(&pid, "/bin/sh", nil, &attributes, &argv, environ) == 0 else {
        throw BenchmarkError(description: "cannot run openssl speed")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    let data = try Data(contentsOf: outputURL)
    // The summary line ends with the two rates: "rsa 4096 bits 0.005952s 0.000093s  168.0  10752.3".
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    guard let line = lines.last(where: { $0.hasPrefix("rsa 4096") || $0.hasPrefix("rsa  4096") }) else {
        throw BenchmarkError(description: "cannot find the rsa4096 line in `openssl speed` output")
    }
    let numbers = line.split(separator: " ").compactMap { Double($0) }
    guard numbers.count >= 2 else { throw BenchmarkError(description: "cannot parse `\(line)`") }
    return (numbers[numbers.count - 2], numbers[numbers.count - 1])
}

/// Runs `body` on `workers` threads until `seconds` have passed; returns operations per second.
func rate(workers: Int, seconds: Double, _ body: @Sendable @escaping (Int) -> Void) -> Double {
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
    let start = DispatchTime.now().uptimeNanoseconds
    let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: workers)
    counts.initialize(repeating: 0)
    defer { counts.deallocate() }
    nonisolated(unsafe) let perWorker = counts  // each worker writes only its own slot
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var done = 0
        while DispatchTime.now().uptimeNanoseconds < deadline {
            body(worker &* 1_000_003 &+ done)
            done += 1
        }
        perWorker[worker] = done
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(counts.reduce(0, +)) / elapsed
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let key: PrivateKey
if let path = options.keyPath {
    key = try PrivateKey(pem: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
} else {
    FileHandle.standardError.write(Data("generating an RSA-4096 key...\n".utf8))
    key = try PrivateKey.generateRSA(bits: 4096)
}
guard key.bits == 4096 else { throw BenchmarkError(description: "the baseline is rsa4096: use a 4096-bit key") }
if options.smoke {
    // One tiny round of everything, so a test notices a benchmark that no longer runs.
    try ScaleBenchmarks.parsing(sizes: [10, 100], documents: [1, 10], rounds: 1)
    try ScaleBenchmarks.sealing(items: 40, key: key, seconds: 1)
    try await ControllerBenchmark(objects: 5, key: key, seconds: 1, keys: 2, resyncPeriod: 2).run()
    exit(0)
}
if options.parse {
    try ScaleBenchmarks.parsing(sizes: options.parseSizes, documents: [1, 100, 10_000])
    exit(0)
}
if let items = options.sealItems {
    try ScaleBenchmarks.sealing(items: items, key: key, seconds: options.seconds)
    exit(0)
}
if let objects = options.controllerObjects {
    try await ControllerBenchmark(objects: objects, key: key, seconds: options.seconds).run()
    exit(0)
}
if let objects = options.manyKeysObjects {
    let one = try await ControllerBenchmark(objects: objects, key: key, seconds: options.seconds, keys: 1).run()
    let twelve = try await ControllerBenchmark(objects: objects, key: key, seconds: options.seconds, keys: 12).run()
    print(String(format: "many keys: controller CPU for the first sync with 12 keys (objects sealed to the oldest) ÷ with 1 key: %.2f; "
                     + "RSA attempts per item %.3f (12 keys) and %.3f (1 key)",
                 twelve.reconcileCPU / one.reconcileCPU, twelve.attemptsPerItem, one.attemptsPerItem))
    exit(0)
}
let publicKey = key.publicKey
let label = SealingScope.strict.label(namespace: "bench", name: "values")
let value = SecretBytes(utf8: "a 64-byte value, about the size of a database password or token.")
let sealedValues = try (0 ..< 64).map { _ in try HybridCipher.seal(value, to: publicKey, label: label) }

let cores = ProcessInfo.processInfo.activeProcessorCount
print("RSA-4096, \(value.count)-byte values, \(options.seconds) s per measurement")

/// Repository re-sealing: files of SealedSecrets re-sealed to a second key by `FileResealer`
/// (decrypt + encrypt per item, byte-preserving edit), one file per task on every core.
func resealRate(workers: Int) async throws -> Double {
    let target = try PrivateKey.generateRSA(bits: 4096).publicKey
    let sealer = Sealer(publicKey: publicKey)
    var files: [[UInt8]] = []
    for file in 0 ..< 40 {
        var text = ""
        for object in 0 ..< 5 {
            var secret = Secret(metadata: ObjectMetadata(name: "s-\(file)-\(object)", namespace: "bench"))
            secret.items = [.init(key: "a", value: value), .init(key: "b", value: value)]
            text += "---\n" + String(decoding: try YAMLWriter.write(try sealer.seal(secret).node()), as: UTF8.self)
        }
        files.append(Array(text.utf8))
    }
    let resealer = FileResealer(strategy: .offline(oldKeys: [key], target: target, onlyKeys: nil))
    let start = ContinuousClock.now
    let items = await withTaskGroup(of: Int.self) { group in
        var next = 0
        var total = 0
        for _ in 0 ..< workers where next < files.count {
            let bytes = files[next]; next += 1
            group.addTask { await resealer.reseal(bytes).items.count }
        }
        for await count in group {
            total += count
            if next < files.count {
                let bytes = files[next]; next += 1
                group.addTask { await resealer.reseal(bytes).items.count }
            }
        }
        return total
    }
    let elapsed = start.duration(to: .now)
    return Double(items) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}
for workers in Set([1, cores]).sorted() {
    let openssl = try opensslRates(seconds: options.seconds, processes: workers)
    let sealRate = rate(workers: workers, seconds: options.seconds) { _ in
        _ = try! HybridCipher.seal(value, to: publicKey, label: label)
    }
    let unsealRate = rate(workers: workers, seconds: options.seconds) { index in
        let opened = try! HybridCipher.open(sealedValues[index % sealedValues.count], with: [key], label: label)
        precondition(opened == value)
    }
    print(String(format: "%d core(s)  seal   %9.1f values/s  vs openssl public ops  %9.1f/s  ratio %.2f",
                 workers, sealRate, openssl.publicOps, sealRate / openssl.publicOps))
    print(String(format: "%d core(s)  unseal %9.1f values/s  vs openssl private ops %9.1f/s  ratio %.2f",
                 workers, unsealRate, openssl.privateOps, unsealRate / openssl.privateOps))
}

let resealWorkers = cores
let resealBaseline = try opensslRates(seconds: options.seconds, processes: resealWorkers)
let resealed = try await resealRate(workers: resealWorkers)
print(String(format: "%d core(s)  reseal %9.1f items/s   vs openssl private ops %9.1f/s  ratio %.2f",
             resealWorkers, resealed, resealBaseline.privateOps, resealed / resealBaseline.privateOps))
