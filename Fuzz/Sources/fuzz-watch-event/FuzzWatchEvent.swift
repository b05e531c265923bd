import FuzzSupport
@testable import KubeClient
import NIOCore
import SealKit

/// The watch stream decoder: bytes as they arrive from the API server, cut into lines (the
/// input's first byte chooses where the chunks end), each line decoded as a watch event, both
/// whole and metadata-only (as the controller watches). Property: the lines do not depend on
/// how the stream was chunked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    guard let first = bytes.first else { return 0 }
    let stream = Array(bytes.dropFirst())
    let chunk = Int(first) + 1
    var whole = LineSplitter(maximumLength: 1 << 20)
    var pieces = LineSplitter(maximumLength: 1 << 20)
    guard let lines = try? whole.append(ByteBuffer(bytes: stream)) else { return 0 }
    var chunkedLines: [[UInt8]] = []
    var offset = 0
    while offset < stream.count {
        let end = min(offset + chunk, stream.count)
        guard let found = try? pieces.append(ByteBuffer(bytes: stream[offset ..< end])) else { return 0 }
        chunkedLines += found
        offset = end
    }
    require(chunkedLines == lines, "lines depend on how the stream was chunked")
    for line in lines {
        for metadataOnly in [false, true] {
            guard let event = try? KubeClient.decodeEvent(line, resource: .sealedSecrets, metadataOnly: metadataOnly) else { continue }
            switch event {
            case .added(let object), .modified(let object), .deleted(let object):
                _ = (object.name, object.namespace, object.resourceVersion, object.uid)
            case .bookmark:
                break
            }
        }
    }
    return 0
}
