#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The CPUs this process can actually run on, which is what sizing a pool of CPU-bound threads
/// needs. Foundation's `activeProcessorCount` counts the machine's CPUs: a pod limited to one
/// CPU (a cgroup quota) or a process pinned with `taskset` still gets the node's count, and
/// two RSA threads taking turns on one CPU cost more than one thread alone (measured: 2.3 %
/// more CPU per unseal at 3 000 objects), for no gain.
public enum AvailableProcessors {
    /// At least 1: the fewest of the online CPUs, the CPUs in the scheduler affinity mask, and
    /// the cgroup CPU quota rounded up. Read once; none of these change under a running pod.
    public static let count: Int = count(
        online: sysconf(Int32(_SC_NPROCESSORS_ONLN)),
        affinity: affinityCount(),
        cgroupV2CPUMax: contents(of: "/sys/fs/cgroup/cpu.max"),
        cgroupV1Quota: contents(of: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
        cgroupV1Period: contents(of: "/sys/fs/cgroup/cpu/cpu.cfs_period_us"))

    /// The rule, on the raw values (for tests): any source that is missing or unreadable is
    /// left out.
    static func count(online: Int, affinity: Int?, cgroupV2CPUMax: String?, cgroupV1Quota: String?, cgroupV1Period: String?) -> Int {
        var limits = [online]
        if let affinity { limits.append(affinity) }
        if let cgroupV2CPUMax, let quota = quota(cpuMax: cgroupV2CPUMax) { limits.append(quota) }
        if let cgroupV1Quota, let cgroupV1Period, let quota = quota(quota: cgroupV1Quota, period: cgroupV1Period) { limits.append(quota) }
        return max(limits.filter { $0 > 0 }.min() ?? 1, 1)
    }

    /// cgroup v2 `cpu.max`: "QUOTA PERIOD" in microseconds, or "max PERIOD" for no limit.
    static func quota(cpuMax: String) -> Int? {
        let fields = cpuMax.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2 else { return nil }
        return quota(quota: String(fields[0]), period: String(fields[1]))
    }

    /// CPUs a quota allows per period, rounded up (1.5 CPUs keep two threads busy half the
    /// time); nil for no limit ("max", or -1 in cgroup v1) or anything unreadable.
    static func quota(quota: String, period: String) -> Int? {
        guard let quota = Int(quota.trimmingCharacters(in: .whitespacesAndNewlines)), quota > 0,
              let period = Int(period.trimmingCharacters(in: .whitespacesAndNewlines)), period > 0
        else { return nil }
        return (quota + period - 1) / period
    }

    private static func contents(of path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// CPUs in this thread's scheduler affinity mask (what `taskset` and cpusets restrict).
    private static func affinityCount() -> Int? {
        #if os(Linux)
        // Swift's Glibc module leaves out the _GNU_SOURCE declarations: look it up.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else { return nil }
        let getAffinity = unsafeBitCast(symbol, to: (@convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32).self)
        var set = cpu_set_t()
        let size = MemoryLayout<cpu_set_t>.size
        guard withUnsafeMutableBytes(of: &set, { getAffinity(0, size, $0.baseAddress!) }) == 0 else { return nil }
        let cpus = withUnsafeBytes(of: &set) { bytes in bytes.reduce(0) { $0 + $1.nonzeroBitCount } }
        return cpus > 0 ? cpus : nil
        #else
        return nil
        #endif
    }
}
