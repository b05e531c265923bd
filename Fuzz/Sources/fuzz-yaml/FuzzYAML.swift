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
        require((try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])) != nil,
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
