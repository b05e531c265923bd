import FuzzSupport
import SealKit

/// What the stand-in controller answers for one item: a new ciphertext that differs from any
/// old one and is safe in every scalar style (base64 text, like a real one).
private func newCiphertext(_ key: String) -> String {
    Base64.encode(Array("resealed \(key)".utf8))
}

/// `sealkit reseal` on one file: the scalar locator finds the ciphertexts, the splice editor
/// replaces them. The strategy is the online one with a stand-in for `/v1/rotate` that answers
/// a fixed new ciphertext per item, so every run reaches the editor without RSA work.
/// Property (the promise of re-sealing): outside the located ciphertext scalars not one byte
/// changes; the rewritten file reads back as the same documents with exactly those values
/// replaced; and locating again finds the new values at the new places.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    let resealer = FileResealer(strategy: .online({ sealed in
        var rotated = sealed
        for item in sealed.encryptedData { rotated.setCiphertext(newCiphertext(item.key), for: item.key) }
        return rotated
    }))
    let outcome = runBlocking { await resealer.reseal(bytes) }
    guard let rewritten = outcome.rewritten else { return 0 }
    guard let before = try? ScalarLocator.entries(under: ["spec", "encryptedData"], in: bytes),
          let documents = try? YAMLReader.manifests(bytes)
    else {
        fatalError("property violated: a file that was rewritten does not read")
    }
    let edited = before.filter { location in
        outcome.items.contains { $0.document == location.document && $0.item == location.path.last && $0.result == .resealed }
    }

    // 1. Every byte outside the edited scalars is kept, in order. A block scalar's range
    //    includes its closing line breaks, which the editor keeps after the quoted value.
    var cursor = 0
    var outside: [UInt8] = []
    for location in edited.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
        require(location.range.lowerBound >= cursor, "edited scalars overlap")
        var end = location.range.upperBound
        if location.style == .literal || location.style == .folded {
            while end > location.range.lowerBound, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        }
        outside += bytes[cursor ..< location.range.lowerBound]
        cursor = end
    }
    outside += bytes[cursor...]
    let after: [ScalarLocator.Location]
    let reread: [YAMLReader.Document]
    do {
        after = try ScalarLocator.entries(under: ["spec", "encryptedData"], in: rewritten)
        reread = try YAMLReader.manifests(rewritten)
    } catch {
        fatalError("property violated: the rewritten file does not read: \(error)")
    }
    let replaced = after.filter { location in edited.contains { $0.document == location.document && $0.path == location.path } }
    require(replaced.count == edited.count, "the edited scalars are not found again (\(replaced.count) of \(edited.count))")
    cursor = 0
    var outsideAfter: [UInt8] = []
    for location in replaced.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
        require(location.value == newCiphertext(location.path.last ?? ""), "an edited scalar reads as another value")
        outsideAfter += rewritten[cursor ..< location.range.lowerBound]
        cursor = location.range.upperBound
    }
    outsideAfter += rewritten[cursor...]
    require(outsideAfter == outside, "a byte outside the ciphertext scalars changed")

    // 2. The documents read back the same, but for the new values.
    require(reread.count == documents.count, "the rewritten file has \(reread.count) documents, not \(documents.count)")
    for (old, new) in zip(documents, reread) {
        var expected = old.root
        if let sealed = try? SealedSecret(node: old.root), var object = expected.mapping,
           var spec = object["spec"]?.mapping, var items = spec["encryptedData"]?.mapping
        {
            for item in sealed.encryptedData where edited.contains(where: { $0.document == old.index && $0.path.last == item.key }) {
                items[item.key] = .string(newCiphertext(item.key))
            }
            spec["encryptedData"] = .mapping(items)
            object["spec"] = .mapping(spec)
            expected = .mapping(object)
        }
        require(sameMeaning(new.root, expected, .yaml), "document \(old.index) reads back changed beyond its ciphertexts")
    }
    return 0
}
