/// Finds a repeated key in a large mapping in linear time, at the same cost per key whatever
/// the mapping's size.
///
/// A `Set<String>` of 100 000 keys takes megabytes scattered over memory, and probing it cost
/// four times as much per key as in a mapping of 1 000. A compact table of 8 bytes per slot
/// (a key's position and 32 bits of its hash, so keys are compared only when those bits match)
/// helped, but past a core's cache it still missed on nearly every probe: 2 MiB for 100 000
/// keys made the check 6 % of a parse instead of 1 %. So a large mapping is first split by the
/// top bits of each hash into partitions whose tables fit in cache, reading and writing memory
/// only in order; equal keys have equal hashes, so they always land in the same partition.
/// Hashes are Swift's, seeded per process, so input crafted to collide cannot make the
/// probing quadratic.
enum DuplicateKeys {
    /// Most keys one table serves: its 2¹⁵ slots of 8 bytes take 256 KiB, within a core's
    /// second-level cache. Larger mappings are partitioned into pieces of about this size.
    static let keysPerTable = 1 << 14

    /// The position of the first key equal to one before it, or nil.
    static func firstRepeat<Keys: RandomAccessCollection<String>>(in keys: Keys) -> Int? where Keys.Index == Int {
        let count = keys.count
        guard count > 1 else { return nil }
        guard count < Int(UInt32.max) else { return firstRepeatBySet(in: keys) }
        func hash(_ key: String) -> UInt64 { UInt64(bitPattern: Int64(key.hashValue)) }
        var table = ProbeTable(keys: min(count, keysPerTable))
        guard count > keysPerTable else {
            return table.firstRepeat(positions: 0 ..< count, hashes: keys.lazy.map(hash), keys: keys)
        }
        let hashes = keys.map(hash)

        // Partition by the hash's top bits: count, then place each key's position and hash in
        // its partition's run, in the order the keys came (so "first" keeps its meaning).
        var partitionBits = 1
        while count >> partitionBits > keysPerTable / 2 { partitionBits += 1 }
        let shift = UInt64(64 - partitionBits)
        var starts = [Int](repeating: 0, count: (1 << partitionBits) + 1)
        for hash in hashes { starts[Int(truncatingIfNeeded: hash >> shift) + 1] += 1 }
        for partition in 0 ..< 1 << partitionBits { starts[partition + 1] += starts[partition] }
        var positions = [UInt32](repeating: 0, count: count)
        var partitionedHashes = [UInt64](repeating: 0, count: count)
        var next = starts
        for (position, hash) in hashes.enumerated() {
            let partition = Int(truncatingIfNeeded: hash >> shift)
            positions[next[partition]] = UInt32(truncatingIfNeeded: position)
            partitionedHashes[next[partition]] = hash
            next[partition] += 1
        }

        var first: Int?
        for partition in 0 ..< 1 << partitionBits where starts[partition + 1] - starts[partition] > 1 {
            let run = starts[partition] ..< starts[partition + 1]
            table.reserve(keys: run.count)
            let found = table.firstRepeat(positions: run.lazy.map { Int(positions[$0]) }, hashes: partitionedHashes[run], keys: keys)
            if let found, found < first ?? .max { first = found }
        }
        return first
    }

    private static func firstRepeatBySet<Keys: RandomAccessCollection<String>>(in keys: Keys) -> Int? where Keys.Index == Int {
        var seen = Set<String>(minimumCapacity: keys.count)
        for (position, key) in keys.enumerated() where !seen.insert(key).inserted { return position }
        return nil
    }
}

/// Open addressing over 8-byte slots: 32 bits of the hash above 32 bits of position + 1 (0 is
/// an empty slot). Reused across partitions, cleared before each.
private struct ProbeTable {
    private var slots: [UInt64]
    private var mask: Int

    init(keys: Int) {
        slots = []
        mask = 0
        reserve(keys: keys)
    }

    /// Empties the table and sizes it for `keys` keys at a load of one half or less.
    mutating func reserve(keys: Int) {
        var capacity = 4
        while capacity < keys * 2 { capacity <<= 1 }
        mask = capacity - 1
        if slots.count < capacity { slots = [UInt64](repeating: 0, count: capacity) } else {
            slots.withUnsafeMutableBufferPointer { $0[0 ..< capacity].update(repeating: 0) }
        }
    }

    /// The first of `positions` (ascending) whose key equals an earlier one of them; `hashes`
    /// holds their hashes in the same order.
    mutating func firstRepeat<Positions: Sequence<Int>, Hashes: Collection<UInt64>, Keys: RandomAccessCollection<String>>(
        positions: Positions, hashes: Hashes, keys: Keys
    ) -> Int? where Keys.Index == Int {
        let mask = self.mask
        return slots.withUnsafeMutableBufferPointer { table -> Int? in
            for (position, hash) in zip(positions, hashes) {
                let tag = hash >> 32
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let stored = table[slot]
                    if stored == 0 {
                        table[slot] = tag << 32 | UInt64(position + 1)
                        break
                    }
                    if stored >> 32 == tag, keys[keys.startIndex + Int(stored & 0xFFFF_FFFF) - 1] == keys[keys.startIndex + position] {
                        return position
                    }
                    slot = (slot + 1) & mask
                }
            }
            return nil
        }
    }
}
