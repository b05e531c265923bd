import Testing
@testable import SealKitYAML

@Suite("Duplicate keys in large mappings")
struct DuplicateKeysTests {
    /// A fixed-seed linear congruential generator, so every run checks the same mappings.
    struct Seeded {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// The reference: the first position whose key an earlier position already had.
    static func naive(_ keys: [String]) -> Int? {
        var seen = Set<String>()
        for (position, key) in keys.enumerated() where !seen.insert(key).inserted { return position }
        return nil
    }

    @Test("distinct keys, of every length and alphabet, have no repeat")
    func distinct() {
        let keys = (0 ..< 20_000).map { index in
            index % 3 == 0 ? "k\(index)" : index % 3 == 1 ? "clé-très-longue-\(index)-" + String(repeating: "x", count: index % 40) : "日本\(index)"
        }
        #expect(DuplicateKeys.firstRepeat(in: keys) == nil)
        #expect(DuplicateKeys.firstRepeat(in: [String]()) == nil)
        #expect(DuplicateKeys.firstRepeat(in: ["only"]) == nil)
    }

    @Test("the first repeat is found, wherever the two keys are", arguments: [(0, 1), (0, 4_999), (17, 18), (2_500, 4_000), (4_998, 4_999)])
    func planted(first: Int, second: Int) {
        var keys = (0 ..< 5_000).map { "key-\($0)" }
        keys[second] = keys[first]
        #expect(DuplicateKeys.firstRepeat(in: keys) == second)
        #expect(DuplicateKeys.firstRepeat(in: keys) == Self.naive(keys))
    }

    @Test("several repeats: the earliest second occurrence, as a reader reading in order meets it")
    func several() {
        var keys = (0 ..< 1_000).map { "key-\($0)" }
        keys[900] = keys[10]
        keys[300] = keys[299]
        keys[301] = keys[5]
        #expect(DuplicateKeys.firstRepeat(in: keys) == 300)
        #expect(DuplicateKeys.firstRepeat(in: keys[...]) == 300)
    }

    @Test("random mappings agree with a set, including keys that differ only in normalization")
    func agreesWithSet() {
        var random = Seeded(state: 42)
        for _ in 0 ..< 200 {
            let keys = (0 ..< 17 + random.next(300)).map { _ in ["a", "b", "é", "e\u{301}", "k\(random.next(400))"][random.next(5)] + String(random.next(50)) }
            #expect(DuplicateKeys.firstRepeat(in: keys) == Self.naive(keys), "\(keys)")
        }
    }

    /// Past ``DuplicateKeys/keysPerTable`` keys the mapping is split into partitions: a repeat
    /// in any of them, and the earliest across them, must still be found.
    @Test("large mappings, split into partitions, find the earliest repeat",
          arguments: [DuplicateKeys.keysPerTable + 1, 3 * DuplicateKeys.keysPerTable + 7, 120_000])
    func partitioned(count: Int) {
        var keys = (0 ..< count).map { "key-\($0)" }
        #expect(DuplicateKeys.firstRepeat(in: keys) == nil)
        for (first, second) in [(0, count - 1), (count / 2, count / 2 + 1), (count - 2, count - 1)] {
            var planted = keys
            planted[second] = planted[first]
            #expect(DuplicateKeys.firstRepeat(in: planted) == second, "\(first) repeated at \(second)")
        }
        // Several repeats, most likely in different partitions: the earliest second occurrence wins.
        keys[count - 1] = keys[1]
        keys[count / 3] = keys[count / 4]
        keys[count / 2] = keys[7]
        #expect(DuplicateKeys.firstRepeat(in: keys) == count / 3)
        #expect(DuplicateKeys.firstRepeat(in: keys) == Self.naive(keys))
    }

    @Test("random large mappings agree with a set")
    func largeAgreesWithSet() {
        var random = Seeded(state: 7)
        for _ in 0 ..< 6 {
            let count = DuplicateKeys.keysPerTable + random.next(4 * DuplicateKeys.keysPerTable)
            // Keys drawn from a space a little larger than the count: repeats come early or late.
            let space = count * (2 + random.next(40))
            let keys = (0 ..< count).map { _ in "k\(random.next(space))" }
            #expect(DuplicateKeys.firstRepeat(in: keys) == Self.naive(keys))
            let distinct = Array(Set(keys)).shuffled()
            #expect(DuplicateKeys.firstRepeat(in: distinct) == nil)
        }
    }
}
