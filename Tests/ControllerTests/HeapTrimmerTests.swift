import Testing
@testable import SealKitController

@Suite("Heap trimmer")
struct HeapTrimmerTests {
    @Test("trims only after enough work, then starts counting again") func threshold() {
        let trimmer = HeapTrimmer(threshold: 3)
        #expect(!trimmer.trimIfWorthIt())
        for _ in 0 ..< 3 { trimmer.recordReconcile() }
        // glibc has malloc_trim, found at run time.
        #expect(trimmer.trimIfWorthIt())
        #expect(!trimmer.trimIfWorthIt())
    }
}
