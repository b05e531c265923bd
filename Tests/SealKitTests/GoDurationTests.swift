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

    /// Regression: values beyond Go's range (about 292 years) used to pass, and trapped later
    /// when converted to milliseconds or to a certificate lifetime.
    @Test("too long for Go", arguments: ["9999999999999h", "2562048h", "106752d", String(repeating: "9", count: 400) + "s", "9223372037s",
                                         "1e400h"])
    func tooLong(_ text: String) {
        #expect(GoDuration.seconds(text) == nil)
        if text != "1e400h" {
            #expect(throws: GoDuration.ParseError.tooLong) { try GoDuration.parse(text) }
        } else {
            #expect(throws: GoDuration.ParseError.malformed) { try GoDuration.parse(text) }
        }
    }

    @Test("the longest Go duration still parses") func longest() throws {
        #expect(try GoDuration.parse("2562047h") == 2_562_047 * 3600)
        #expect(try GoDuration.parse("9223372036s") == 9_223_372_036)
    }
}
