/// Gives the calling thread the name `top -H`, `ps -L` and `/proc/PID/task/*/comm` show, so
/// an operator (or the benchmark) can tell the unsealing threads from the I/O threads.
/// Foundation on Linux did not reliably pass `Thread.name` on to the system thread.
enum ThreadNaming {
    /// Linux keeps 15 bytes of a thread's name; longer names are cut.
    static func nameCurrentThread(_ name: String) {
        var bytes = Array(name.utf8.prefix(15))
        bytes.append(0)
        bytes.withUnsafeBufferPointer { buffer in
            _ = ProcessHardening.prctl?(setName, UInt(bitPattern: buffer.baseAddress), 0, 0, 0)
        }
    }

    // <sys/prctl.h>
    private static let setName: Int32 = 15
}
