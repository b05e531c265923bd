import Foundation
import SealKit

/// How costs scale with size: parsing per entry and per document, and sealing one large
/// Secret, each as a ratio against a baseline from the same run.
enum ScaleBenchmarks {
    /// Per-entry cost of reading YAML (and JSON) from 1 000 to 100 000 entries in one mapping,
    /// and per-document cost from 1 to 10 000 documents in one stream. Linear parsing keeps the
    /// ratio to the smallest size near 1.
    static func parsing(sizes: [Int], documents: [Int], rounds: Int = 7) throws {
        /// One trial: parses for at least 150 ms (a large input a few times, a small one many
        /// times) and returns the cost per item.
        func trial(_ bytes: [UInt8], _ count: Int) throws -> Double {
            let start = ContinuousClock.now
            var parsed = 0
            var repeats = 0
            repeat {
                parsed += try YAMLReader.manifests(bytes).count
                repeats += 1
            } while start.duration(to: .now) < .milliseconds(150)
            precondition(parsed > 0)
            return start.duration(to: .now).seconds / Double(count * repeats)
        }
        /// The sizes are measured in turn, round after round, and each keeps its best trial:
        /// a slow spell of the machine then touches every size alike, instead of whichever one
        /// happened to be running.
        func perItem(_ build: (Int) -> [UInt8], _ counts: [Int]) throws -> [Double] {
            let inputs = counts.map(build)
            var best = [Double](repeating: .infinity, count: counts.count)
            for _ in 0 ..< rounds {
                for (position, count) in counts.enumerated() {
                    best[position] = min(best[position], try trial(inputs[position], count))
                }
            }
            return best
        }
        func mapping(_ count: Int) -> [UInt8] {
            var text = "apiVersion: v1\nkind: Secret\nmetadata: {name: big}\ndata:\n"
            text.reserveCapacity(count * 30)
            for index in 0 ..< count { text += "  key\(index): dmFsdWUtMDEyMzQ1Njc4OQ==\n" }
            return Array(text.utf8)
        }
        func json(_ count: Int) -> [UInt8] {
            var text = #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"big"},"data":{"#
            for index in 0 ..< count { text += (index > 0 ? "," : "") + #""key\#(index)":"dmFsdWUtMDEyMzQ1Njc4OQ==""# }
            return Array((text + "}}").utf8)
        }
        func stream(_ count: Int) -> [UInt8] {
            var text = ""
            for index in 0 ..< count { text += "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s\(index)}\ndata: {a: YQ==}\n" }
            return Array(text.utf8)
        }
        for (name, build, counts) in [("YAML mapping", mapping, sizes), ("JSON mapping", json, sizes), ("YAML stream", stream, documents)] {
            let costs = try perItem(build, counts)
            var line = "parse \(name):"
            for (count, cost) in zip(counts, costs) {
                line += String(format: "  %d: %.0f/s (×%.2f)", count, 1 / cost, cost / costs[0])
            }
            print(line + "   (per-item cost relative to the smallest size; best of \(rounds) interleaved trials)")
        }
    }

    /// One Secret of `items` values sealed as `sealkit` does (in parallel across cores), against
    /// OpenSSL's RSA-4096 public-operation rate on one core.
    static func sealing(items: Int, key: PrivateKey, seconds: Double) throws {
        let openssl = try opensslRates(seconds: seconds, processes: 1)
        var secret = Secret(metadata: ObjectMetadata(name: "many", namespace: "bench"))
        secret.items = (0 ..< items).map { .init(key: "item\($0)", value: SecretBytes(utf8: "value-\($0)-0123456789abcdef")) }
        let sealer = Sealer(publicKey: key.publicKey)
        let start = ContinuousClock.now
        let sealed = try sealer.seal(secret, parallel: true)
        let sealedAt = ContinuousClock.now
        let output = try YAMLWriter.write(sealed.node())
        let elapsed = start.duration(to: .now).seconds
        precondition(sealed.encryptedData.count == items && !output.isEmpty)
        let rate = Double(items) / elapsed
        print(String(format: "seal one Secret of %d items: %.1f items/s (%d cores) vs openssl public ops on 1 core %.1f/s  ratio %.2f"
                         + " (sealing %.0f%%, writing YAML %.0f%% of the time)",
                     items, rate, ProcessInfo.processInfo.activeProcessorCount, openssl.publicOps, rate / openssl.publicOps,
                     100 * start.duration(to: sealedAt).seconds / elapsed, 100 * sealedAt.duration(to: .now).seconds / elapsed))
    }
}
