import Testing
import SealKit

@Suite("Process hardening")
struct ProcessHardeningTests {
    @Test("disableCoreDumps makes the process non-dumpable (no core file, no same-user debugger)")
    func nonDumpable() throws {
        #if os(Linux)
        #expect(ProcessHardening.isDumpable != nil, "prctl is found on Linux")
        ProcessHardening.disableCoreDumps()
        #expect(ProcessHardening.isDumpable == false)
        #endif
    }
}
