import SealKit

/// A SHA-256 digest held inline (four words, no heap allocation): the controller keeps one or
/// two per object, so at 10 000 objects an array per digest would cost more than the digests.
struct ContentDigest: Hashable, Sendable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// The SHA-256 of `bytes`.
    init(of bytes: some Collection<UInt8>) {
        let digest = Digest.sha256(bytes)
        func word(_ index: Int) -> UInt64 {
            digest[index * 8 ..< index * 8 + 8].reduce(0) { $0 << 8 | UInt64($1) }
        }
        words = (word(0), word(1), word(2), word(3))
    }

    /// The digest of a node in canonical form (compact JSON, mapping keys in the node's order).
    init(of node: Node) {
        self.init(of: JSONWriter.write(node, pretty: false))
    }

    static func == (a: ContentDigest, b: ContentDigest) -> Bool {
        a.words == b.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
