import Foundation
import FuzzSupport
import KubeClient
import SealKit

/// A scratch file for the kubeconfig under test, one per process.
private let path = FileManager.default.temporaryDirectory.appendingPathComponent("sealkit-fuzz-kubeconfig-\(getpid())").path

/// The kubeconfig reader as the CLI and the controller use it: the file read and merged, then
/// resolved into a connection for its current context (server URL, CA and client
/// certificate data, token, basic auth, exec plugin and auth-provider settings, impersonation),
/// with an empty environment so nothing outside the input is consulted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else {
        fatalError("cannot write \(path)")
    }
    guard let kubeconfig = try? Kubeconfig.load(explicitPath: path, environment: [:]) else { return 0 }
    _ = kubeconfig.namespace(context: nil)
    _ = try? ClusterConnection.fromKubeconfig(kubeconfig, context: nil, environment: [:])
    return 0
}
