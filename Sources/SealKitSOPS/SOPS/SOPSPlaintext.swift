public import SealKitCrypto

/// A decrypted SOPS file: the plaintext tree, to write out (as `sops decrypt` would) or to
/// pick one value from (`--extract`). Holds plaintext: keep it in memory only as long as needed.
public struct SOPSPlaintext: Sendable {
    public let format: SOPSFormat
    let branches: [[SOPSItem]]
    let source: String

    /// The file as `sops decrypt` writes it, in `format` (default: the file's own).
    public func emit(as output: SOPSFormat? = nil) throws(SOPSError) -> SecretBytes {
        SecretBytes(try Self.emit(branches, as: output ?? format))
    }

    static func emit(_ branches: [[SOPSItem]], as format: SOPSFormat) throws(SOPSError) -> [UInt8] {
        switch format {
        case .yaml: return SOPSYAMLStore.emit(branches)
        case .json: return SOPSJSONStore.emit(branches)
        case .dotenv: return try SOPSDotenvStore.emit(branches)
        case .ini: return try SOPSINIStore.emit(branches)
        case .binary: return try SOPSBinaryStore.emit(branches)
        }
    }

    /// `--extract '["a"]["b"][0]'`: a string value as its bytes, a mapping as a document of
    /// the output format, any other value as that format writes one value.
    public func extract(_ pathText: String, as output: SOPSFormat? = nil) throws(SOPSError) -> SecretBytes {
        let path = try Self.parsePath(pathText)
        var current: SOPSValue = .mapping(branches.first ?? [])
        for component in path {
            switch (component, current) {
            case (.key(let key), .mapping(let items)):
                guard let next = items[sopsKey: key] else {
                    throw SOPSError(.invalidArgument, "\(source): --extract: component [\"\(key)\"] not found")
                }
                current = next
            case (.index(let index), .sequence(let items)):
                let values = items.filter { if case .comment = $0 { false } else { true } }
                guard index >= 0, index < values.count else {
                    throw SOPSError(.invalidArgument, "\(source): --extract: component [\(index)] accesses out of bounds")
                }
                current = values[index]
            case (.key(let key), _):
                throw SOPSError(.invalidArgument, "\(source): --extract: component [\"\(key)\"] not found")
            case (.index(let index), _):
                throw SOPSError(.invalidArgument, "\(source): --extract: component [\(index)] is integer, but tree part is not a list")
            }
        }
        let format = output ?? self.format
        switch current {
        case .mapping(let items): return SecretBytes(try Self.emit([items], as: format))
        case .string(let text): return SecretBytes(Array(text.utf8))
        case .binary(let bytes): return SecretBytes(bytes)
        default:
            switch format {
            case .json: return SecretBytes(SOPSJSONStore.emitValue(current))
            case .yaml: return SecretBytes(GoYAMLEmitter.emitValue(current))
            default:
                return SecretBytes(Array(try SOPSDotenvStore.flatString(current, key: pathText).utf8))
            }
        }
    }

    enum PathComponent: Equatable { case key(String), index(Int) }

    /// sops's `parseTreePath`: `["key"]`, `['key']` or `[0]` components.
    static func parsePath(_ text: String) throws(SOPSError) -> [PathComponent] {
        var components: [PathComponent] = []
        for part in text.split(separator: "[", omittingEmptySubsequences: true) {
            guard part.hasSuffix("]") else {
                throw SOPSError(.invalidArgument, "--extract: component \(part) doesn't end with ]")
            }
            let body = part.dropLast()
            if let first = body.first, first == "\"" || first == "'" {
                guard body.count >= 2, body.last == first else { throw SOPSError(.invalidArgument, "--extract: unterminated string in \(part)") }
                components.append(.key(String(body.dropFirst().dropLast())))
            } else if let index = Int(body) {
                components.append(.index(index))
            } else {
                throw SOPSError(.invalidArgument, "--extract: component [\(body)] is neither a quoted key nor a number")
            }
        }
        return components
    }

    /// The top-level mapping of the first document, for callers that read a decrypted
    /// manifest (a Kubernetes Secret) without writing it anywhere.
    public var firstDocument: [SOPSItem] { branches.first ?? [] }
}
