public import Foundation

/// An object's `metadata.uid` as the caches keep it: sixteen bytes inline for the UUIDs the API
/// server assigns, the text otherwise. Five uids per SealedSecret are kept (its own, its
/// Secret's, owners); as strings each was a heap allocation.
public enum ObjectUID: Hashable, Sendable, CustomStringConvertible {
    case uuid(UUID)
    case text(String)

    /// nil for a missing uid. Only the canonical lowercase form becomes `.uuid`, so the text
    /// reads back exactly as the server wrote it.
    public init?(_ text: String?) {
        guard let text else { return nil }
        self = Self.canonicalUUID(text).map { .uuid($0) } ?? .text(text)
    }

    public var description: String {
        switch self {
        case .uuid(let uuid): Self.canonicalText(uuid)
        case .text(let text): text
        }
    }

    /// The UUID when `text` is 8-4-4-4-12 lowercase hex digits, else nil. Read directly rather
    /// than through Foundation's parser and a lowercased copy of its output: this runs for
    /// every object the watches report, and the round trip cost several allocations each.
    static func canonicalUUID(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { utf8 -> UUID? in
            guard utf8.count == 36 else { return nil }
            var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let complete = withUnsafeMutableBytes(of: &bytes) { raw -> Bool in
                var digits = 0
                for (offset, character) in utf8.enumerated() {
                    if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                        guard character == UInt8(ascii: "-") else { return false }
                        continue
                    }
                    let value: UInt8
                    switch character {
                    case UInt8(ascii: "0") ... UInt8(ascii: "9"): value = character &- UInt8(ascii: "0")
                    case UInt8(ascii: "a") ... UInt8(ascii: "f"): value = character &- UInt8(ascii: "a") &+ 10
                    default: return false
                    }
                    raw[digits >> 1] |= digits & 1 == 0 ? value << 4 : value
                    digits += 1
                }
                return digits == 32
            }
            return complete ? UUID(uuid: bytes) : nil
        }
    }

    /// The canonical lowercase text of `uuid`, as the API server writes uids.
    static func canonicalText(_ uuid: UUID) -> String {
        func digit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10 }
        return withUnsafeBytes(of: uuid.uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { output in
                var position = 0
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        output[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    output[position] = digit(byte >> 4)
                    output[position + 1] = digit(byte & 0x0F)
                    position += 2
                }
                return position
            }
        }
    }
}
