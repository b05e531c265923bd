import Hummingbird
import NIOSSL

/// The per-request context: Hummingbird's core storage plus a view of the connection's TLS
/// state, which client-certificate authentication needs.
struct KubeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Whether the client presented a certificate during the TLS handshake (NIOSSL only lets
    /// the handshake finish if a presented certificate verified against the client CA).
    let hasPeerCertificate: @Sendable () async -> Bool

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        let channel = source.channel
        self.hasPeerCertificate = {
            // `try?` flattens: nil both without TLS and without a presented certificate.
            (try? await channel.nioSSL_peerCertificate().get()) != nil
        }
    }

    /// Bodies up to 16 MiB are read; Kubernetes objects are limited to about 1.5 MiB by etcd.
    var maxUploadSize: Int { 16 * 1024 * 1024 }
}
