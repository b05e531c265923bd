import Foundation

/// A throwaway PKI made with the `openssl` CLI once per test process: a CA, a server
/// certificate for `IP:127.0.0.1` signed by it, and a client certificate signed by it.
/// EC P-256 keys keep generation fast.
public struct TestCertificates: Sendable {
    public let caPEM: String
    public let serverCertificatePEM: String
    public let serverKeyPEM: String
    public let clientCertificatePEM: String
    public let clientKeyPEM: String
    /// A server certificate for `DNS:kube.example` only (no IP address), signed by the CA: a
    /// client connecting to 127.0.0.1 accepts it only when told to expect that name
    /// (`tls-server-name`).
    public let namedServerCertificatePEM: String
    public let namedServerKeyPEM: String
    /// A second, unrelated CA's client certificate, which the server must reject.
    public let strangerCertificatePEM: String
    public let strangerKeyPEM: String

    /// The shared certificates; generated on first use.
    public static var shared: TestCertificates {
        get async throws { try await generation.value }
    }

    private static let generation = Task { try await generate() }

    private static func generate() async throws -> TestCertificates {
        let directory = try ProcessRunner.temporaryDirectory("kube-test-pki")
        defer { try? FileManager.default.removeItem(at: directory) }
        func openssl(_ arguments: [String]) async throws {
            let result = try await ProcessRunner.run("/usr/bin/openssl", arguments, in: directory)
            guard result.exitCode == 0 else {
                throw CertificateGenerationError(message: "openssl \(arguments.joined(separator: " ")): \(result.standardError)")
            }
        }
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for ca in ["ca", "stranger-ca"] {
            try await openssl(["req", "-x509"] + ecKey + [
                "-keyout", "\(ca).key", "-out", "\(ca).crt", "-days", "2", "-subj", "/CN=\(ca)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        }
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            .write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        try "subjectAltName=DNS:kube.example\nextendedKeyUsage=serverAuth\n"
            .write(to: directory.appendingPathComponent("named.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n"
            .write(to: directory.appendingPathComponent("client.ext"), atomically: true, encoding: .utf8)
        for (name, ca, subject, extensions) in [
            ("server", "ca", "/CN=127.0.0.1", "server.ext"),
            ("named", "ca", "/CN=kube.example", "named.ext"),
            ("client", "ca", "/O=system:masters/CN=test", "client.ext"),
            ("stranger", "stranger-ca", "/CN=stranger", "client.ext"),
        ] {
            try await openssl(["req"] + ecKey + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject])
            try await openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "\(ca).crt", "-CAkey", "\(ca).key", "-CAcreateserial",
                "-out", "\(name).crt", "-days", "2", "-extfile", extensions,
            ])
        }
        func read(_ file: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        }
        return TestCertificates(
            caPEM: try read("ca.crt"),
            serverCertificatePEM: try read("server.crt"), serverKeyPEM: try read("server.key"),
            clientCertificatePEM: try read("client.crt"), clientKeyPEM: try read("client.key"),
            namedServerCertificatePEM: try read("named.crt"), namedServerKeyPEM: try read("named.key"),
            strangerCertificatePEM: try read("stranger.crt"), strangerKeyPEM: try read("stranger.key"))
    }
}

public struct CertificateGenerationError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
