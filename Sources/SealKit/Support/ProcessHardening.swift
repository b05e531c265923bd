#if canImport(Glibc)
import Glibc
#endif

/// Keeps the process's memory out of places it could be read from later.
public enum ProcessHardening {
    /// Marks the process non-dumpable: no core file on a crash (a core of the controller or of
    /// `sealkit --recovery-unseal` would hold private keys and plaintext), and other processes
    /// of the same user can no longer attach a debugger or read `/proc/PID/mem`. Reset on
    /// `exec`, so child processes (credential plugins, git) are unaffected.
    public static func disableCoreDumps() {
        _ = prctl?(setDumpable, 0, 0, 0, 0)
    }

    /// Whether the process is dumpable (for tests); nil where `prctl` does not exist.
    public static var isDumpable: Bool? {
        prctl.map { $0(getDumpable, 0, 0, 0, 0) != 0 }
    }

    // <sys/prctl.h>
    private static let getDumpable: Int32 = 3
    private static let setDumpable: Int32 = 4

    /// `prctl` is variadic in C, which Swift does not import; it is looked up and called with
    /// all five arguments as integers, which the Linux calling conventions pass the same way.
    static let prctl: (@convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32).self)
        #else
        return nil
        #endif
    }()
}
