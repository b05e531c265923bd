/// Finds a repeated key in a large mapping with one pass over a compact table. A `Set<String>`
/// of 100 000 keys takes megabytes scattered over memory, and probing it cost four times as
/// much per key as in a mapping of 1 000; this table holds 8 bytes per slot (a key's position
/// and 32 bits of its hash), so keys are compared only when those bits match. Hashes are
/// Swift's, seeded per process, so input crafted to collide cannot make the probing quadratic.
enum DuplicateKeys {
    /// The position of the first key equal to one before it, or nil.
    static func firstRepeat<Keys: RandomAccessCollection<String>>(in keys: Keys) -> Int? where Keys.Index == Int {
        let count = keys.count
        guard count > 1 else { return nil }
        guard count < Int(UInt32.max) else { return firstRepeatBySet(in: keys) }
        var capacity = 4
        while capacity < count * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [UInt64](repeating: 0, count: capacity)
        return slots.withUnsafeMutableBufferPointer { table -> Int? in
            for position in 0 ..< count {
                let key = keys[keys.startIndex + position]
                let hash = UInt64(bitPattern: Int64(key.hashValue))
                let tag = hash >> 32
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let stored = table[slot]
                    if stored == 0 {
                        table[slot] = tag << 32 | UInt64(position + 1)
                        break
                    }
                    if stored >> 32 == tag, keys[keys.startIndex + Int(stored & 0xFFFF_FFFF) - 1] == key { return position }
                    slot = (slot + 1) & mask
                }
            }
            return nil
        }
    }

    private static func firstRepeatBySet<Keys: RandomAccessCollection<String>>(in keys: Keys) -> Int? where Keys.Index == Int {
        var seen = Set<String>(minimumCapacity: keys.count)
        for (position, key) in keys.enumerated() where !seen.insert(key).inserted { return position }
        return nil
    }
}
