import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Splits the machine between the controller and everything else in a controller benchmark:
/// the controller gets CPUs 1…n-1 and this process (the test API server and its clients) CPU 0.
/// On a real cluster the API server runs elsewhere; sharing cores with it here would make the
/// controller's figures depend on how much of the API server's work the scheduler put beside it.
enum CPUAffinity {
    /// The CPUs the controller gets, or nil when there are too few to split (one core).
    static func controllerCPUs() -> [Int]? {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores >= 2, FileManager.default.isExecutableFile(atPath: taskset) else { return nil }
        return Array(1 ..< cores)
    }

    static let taskset = "/usr/bin/taskset"

    /// `cpus` as taskset's list argument, e.g. "1,2,3".
    static func list(_ cpus: [Int]) -> String {
        cpus.map(String.init).joined(separator: ",")
    }

    /// Moves every thread of this process (and so every thread they start later) to `cpus`.
    static func pinThisProcess(to cpus: [Int]) throws {
        var set = cpu_set_t()
        withUnsafeMutableBytes(of: &set) { bytes in
            for cpu in cpus { bytes[cpu / 8] |= UInt8(1 << (cpu % 8)) }
        }
        // Swift's Glibc module leaves out the _GNU_SOURCE functions: look it up at run time.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_setaffinity") else {
            throw BenchmarkError(description: "sched_setaffinity is not available")
        }
        let setAffinity = unsafeBitCast(symbol, to: (@convention(c) (pid_t, Int, UnsafeRawPointer) -> Int32).self)
        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { pid_t($0) }
        for thread in threads where setAffinity(thread, MemoryLayout<cpu_set_t>.size, &set) != 0 && errno != ESRCH {
            throw BenchmarkError(description: "cannot pin thread \(thread) to CPUs \(list(cpus)): errno \(errno)")
        }
    }
}
