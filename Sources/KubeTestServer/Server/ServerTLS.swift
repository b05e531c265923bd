import NIOSSL

/// Builds the NIOSSL server configuration from PEM material.
enum ServerTLS {
    static func configuration(
        _ tls: KubeAPIServer.TLS, acceptsTokens: Bool
    ) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.certificateChainPEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        if let clientCA = tls.clientCAPEM {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
            // Hostnames are not checked on client certificates, only the chain to the CA. With
            // tokens as an alternative credential the certificate becomes optional, but a
            // presented one must still verify.
            configuration.certificateVerification = acceptsTokens ? .optionalVerification : .noHostnameVerification
        }
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }
}
