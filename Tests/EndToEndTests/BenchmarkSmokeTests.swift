import Foundation
import Testing

/// The benchmarks are not part of the test run, but a benchmark that no longer runs is a bug:
/// this runs every one once at a tiny size (`sealkit-bench --smoke`) and checks each reported.
extension SerialSuites {
@Suite("Benchmark smoke")
struct BenchmarkSmokeTests {
    @Test("sealkit-bench --smoke runs every benchmark once") func smoke() async throws {
        let key = Binaries.vectors.appendingPathComponent("key.pem").path
        let result = try await runAsync(Binaries.url("sealkit-bench"), ["--smoke", "--key", key], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "\(result.stderr)")
        for line in ["parse YAML mapping:", "parse JSON mapping:", "parse YAML stream:", "seal one Secret of 40 items:",
                     "first sync:", "resync of 5 unchanged objects: 0 RSA decryptions", "RSA attempts per value opened:"] {
            #expect(result.stdout.contains(line), "missing \(line) in \(result.stdout)")
        }
    }

    @Test("a missing or unreadable option value is refused in one line naming the option",
          arguments: [(["--parse-sizes", "1000,abc"], "--parse-sizes: '1000,abc' is not a valid value"),
                      (["--parse-sizes", "1000,"], "--parse-sizes: '1000,' is not a valid value"),
                      (["--controller", "-5"], "--controller: '-5' is not a valid value"),
                      (["--seal-items"], "--seal-items needs a value"),
                      (["--bogus"], "unknown option --bogus")])
    func badOptions(arguments: [String], message: String) async throws {
        let result = try await runAsync(Binaries.url("sealkit-bench"), arguments, in: FileManager.default.temporaryDirectory)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("sealkit-bench: \(message)\n"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
}
