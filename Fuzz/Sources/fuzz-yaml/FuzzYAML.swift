import Foundation
import FuzzSupport
import SealKit
@testable import SealKitYAML

/// The YAML/JSON readers on any bytes, then both writers on what they read. Properties: the
/// strict JSON reader and libyaml agree; whatever is read, the YAML writer writes so that it
/// reads back with the same meaning, and the JSON writer writes valid JSON that reads back with
/// the same structure and texts, through either reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    let libyaml = try? YAMLReader.documents(bytes)
    // The strict JSON reader and libyaml agree on every JSON value both accept (libyaml also
    // refuses some valid JSON: raw C1 controls, keys over 1024 characters).
    if let json = JSONReader.parse(bytes), let libyaml {
        require(libyaml.count == 1 && libyaml[0].root == json, "the JSON reader and libyaml read different trees")
    }
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
        // libyaml reads SealKit's JSON too (reseal's locator): the same, but for keys too long
        // for its implicit-key limit.
        if let viaLibyaml = try? YAMLReader.documents(json) {
            require(viaLibyaml.count == 1 && sameMeaning(viaLibyaml[0].root, document.root, .json),
                    "JSONWriter output reads back through libyaml with another structure or text")
        } else {
            require(hasLongKey(document.root), "JSONWriter output does not read back through libyaml")
        }
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

/// Whether a mapping key takes more than libyaml's 1024 characters as JSON writes it.
private func hasLongKey(_ node: Node) -> Bool {
    switch node {
    case .scalar:
        return false
    case .sequence(let items):
        return items.contains(where: hasLongKey)
    case .mapping(let mapping):
        return mapping.contains { entry in
            JSONWriter.write(.string(entry.key)).reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 } > 1024 || hasLongKey(entry.value)
        }
    }
}
