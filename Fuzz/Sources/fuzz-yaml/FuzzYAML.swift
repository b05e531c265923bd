import Foundation
import FuzzSupport
import SealKit

/// The YAML/JSON reader on any bytes, then both writers on what it read. Properties: whatever
/// the reader accepts, the YAML writer writes so that it reads back with the same meaning, and
/// the JSON writer writes valid JSON that reads back with the same structure and texts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    _ = try? YAMLReader.documents(bytes)
    guard let documents = try? YAMLReader.manifests(bytes) else { return 0 }
    for document in documents {
        if let yaml = try? YAMLWriter.write(document.root) {
            let reread: [YAMLReader.Document]
            do { reread = try YAMLReader.documents(yaml) } catch {
                fatalError("property violated: YAMLWriter output does not read back: \(error)")
            }
            require(reread.count == 1 && sameMeaning(reread[0].root, document.root, .yaml),
                    "YAMLWriter output reads back with another meaning")
        }
        let json = JSONWriter.write(document.root)
        // A number JSON's grammar allows but a double cannot hold (`1e999`) is the input's
        // own; Foundation, like the API server, refuses it.
        require(hasInfiniteNumber(document.root)
                    || (try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])) != nil,
                "JSONWriter output is not valid JSON")
        let reread: [YAMLReader.Document]
        do { reread = try YAMLReader.manifests(json) } catch {
            fatalError("property violated: JSONWriter output does not read back: \(error)")
        }
        require(reread.count == 1 && sameMeaning(reread[0].root, document.root, .json),
                "JSONWriter output reads back with another structure or text")
    }
    return 0
}

/// Whether a number scalar in the tree is beyond a double's range.
private func hasInfiniteNumber(_ node: Node) -> Bool {
    switch node {
    case .scalar(let scalar):
        return (scalar.kind == .int || scalar.kind == .float) && Double(scalar.text).map { !$0.isFinite } ?? false
    case .sequence(let items):
        return items.contains(where: hasInfiniteNumber)
    case .mapping(let mapping):
        return mapping.contains { hasInfiniteNumber($0.value) }
    }
}
