import Testing
import SealKit

@Suite("Go durations")
struct GoDurationTests {
    @Test("Bitnami's flag values", arguments: [("720h", 2_592_000.0), ("87600h", 315_360_000), ("1h30m", 5400), ("15s", 15), ("250ms", 0.25),
                                                ("3650d", 315_360_000), ("0", 0), ("0s", 0), ("1.5h", 5400)])
    func valid(_ text: String, _ seconds: Double) {
        #expect(GoDuration.seconds(text) == seconds)
    }

    @Test("not durations", arguments: ["", "10", "h", "5x", "1h30", "-", "1w"])
    func invalid(_ text: String) {
        #expect(GoDuration.seconds(text) == nil)
    }
}
