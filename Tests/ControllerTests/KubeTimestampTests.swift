import Foundation
import Testing
@testable import SealKitController

@Suite("Kubernetes timestamps")
struct KubeTimestampTests {
    @Test("the same text as Foundation's ISO 8601 format, across leap years, centuries and before 1970")
    func matchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, -1, -86_400, 951_782_400 /* 2000-02-29 */, 4_107_542_399 /* 2100-02-28T23:59:59 */,
                                     4_107_542_400, 1_764_585_000.999, -2_208_988_800 /* 1900-01-01 */, 253_402_300_799 /* 9999-12-31T23:59:59 */]
        let random = (0 ..< 2000).map { _ in TimeInterval(Int.random(in: -2_208_988_800 ... 7_258_118_400, using: &generator)) }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(KubeTimestamp.string(from: date) == date.formatted(.iso8601), "\(seconds)")
        }
    }

    @Test("whole seconds, UTC, with a Z") func shape() {
        #expect(KubeTimestamp.string(from: Date(timeIntervalSince1970: 1_764_585_000.75)) == "2025-12-01T10:30:00Z")
    }
}
