import FuzzSupport
import SealKit
@testable import SealKitController

/// The controller's key ring: the reference vectors' key, so seeds sealed to it open.
private let ring = KeyRing([SealingKey(name: "fuzz", privateKey: Fixtures.privateKey, certificate: Fixtures.certificate)])

/// `/v1/verify` and `/v1/rotate` as the HTTP handlers run them, minus the server: a request
/// body (the input without its first byte, which chooses the endpoint) turned into an answer.
/// Property: the status is one the API documents.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Input.bytes(data, size)
    guard let selector = bytes.first else { return 0 }
    let body = Array(bytes.dropFirst())
    if selector & 1 == 0 {
        let status = ControllerAPI.verify(body: body, keys: ring.privateKeys).status.code
        require([200, 409, 500].contains(status), "/v1/verify answered \(status)")
    } else {
        let status = ControllerAPI.rotate(body: body, ring: ring, to: ring.newest!).status.code
        require([200, 500].contains(status), "/v1/rotate answered \(status)")
    }
    return 0
}
