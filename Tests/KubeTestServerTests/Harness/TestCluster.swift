import TestSupport
import AsyncHTTPClient
import Foundation
import KubeTestServer
import NIOSSL

/// A running server plus a client for it, torn down when the test body ends.
struct TestCluster: Sendable {
    let server: KubeAPIServer
    let client: APIClient
    let url: URL

    /// Runs `body` against a fresh plain-HTTP server (or HTTPS when `tls` is set).
    static func run<Result: Sendable>(
        configure: (inout KubeAPIServer.Configuration) -> Void = { _ in },
        clientTLS: TLSConfiguration? = nil,
        token: String? = nil,
        _ body: (TestCluster) async throws -> Result
    ) async throws -> Result {
        var configuration = KubeAPIServer.Configuration()
        configure(&configuration)
        let server = KubeAPIServer(configuration: configuration)
        let url = try await server.start()
        let client = APIClient(baseURL: url, tls: clientTLS, token: token)
        let cluster = TestCluster(server: server, client: client, url: url)
        do {
            let result = try await body(cluster)
            await client.shutdown()
            await server.stop()
            return result
        } catch {
            await client.shutdown()
            await server.stop()
            throw error
        }
    }

    /// A client TLS configuration trusting the test CA, optionally presenting a certificate.
    static func clientTLS(
        _ certificates: TestCertificates, certificatePEM: String? = nil, keyPEM: String? = nil
    ) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(certificates.caPEM.utf8)))
        if let certificatePEM, let keyPEM {
            tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
        }
        return tls
    }
}

/// Builders for the objects tests create.
enum Fixtures {
    static func secret(_ name: String, labels: [String: String] = [:], data: [String: String] = ["k": "dg=="]) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
            "data": .object(data.mapValues(JSONValue.string)),
        ]
    }

    static func sealedSecret(_ name: String, encrypted: String = "AgA=") -> JSONValue {
        [
            "apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
            "metadata": ["name": .string(name)],
            "spec": ["encryptedData": ["password": .string(encrypted)], "template": ["metadata": ["name": .string(name)]]],
        ]
    }

    static func ownerReference(_ owner: JSONValue) -> JSONValue {
        [
            "apiVersion": owner["apiVersion"] ?? "v1", "kind": owner["kind"] ?? "Secret",
            "name": .string(owner.string("metadata", "name")), "uid": .string(owner.string("metadata", "uid")),
            "controller": true,
        ]
    }
}

extension JSONValue {
    /// The value at a path of object keys — keeps assertions short.
    func value(_ path: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// The string at a path of object keys, or "".
    func string(_ path: String...) -> String {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current?.stringValue ?? ""
    }
}
