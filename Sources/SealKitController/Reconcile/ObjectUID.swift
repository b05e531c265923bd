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
        if text.utf8.count == 36, let uuid = UUID(uuidString: text), uuid.uuidString.lowercased() == text {
            self = .uuid(uuid)
        } else {
            self = .text(text)
        }
    }

    public var description: String {
        switch self {
        case .uuid(let uuid): uuid.uuidString.lowercased()
        case .text(let text): text
        }
    }
}
