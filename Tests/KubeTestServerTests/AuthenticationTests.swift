import TestSupport
import KubeTestServer
import Testing

/// Bearer tokens and client certificates over HTTPS.
@Suite struct AuthenticationTests {
    @Test func bearerTokenIsRequiredWhenConfigured() async throws {
        try await TestCluster.run(configure: { $0.bearerTokens = ["good"] }) { cluster async throws in
            let anonymous = try await cluster.client.get("/api/v1/namespaces/ns/secrets")
            #expect(anonymous.status == 401)
            #expect(try anonymous.json.string("reason") == "Unauthorized")
            #expect(try anonymous.json.string("message") == "Unauthorized")
            #expect(try await cluster.client.get("/version", headers: ["Authorization": "Bearer bad"]).status == 401)
            #expect(try await cluster.client.get("/version", headers: ["Authorization": "Bearer good"]).status == 200)
        }
    }

    @Test func httpsWithTokenAndServerVerification() async throws {
        let pki = try await TestCertificates.shared
        try await TestCluster.run(
            configure: {
                $0.tls = .init(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM)
                $0.bearerTokens = ["t"]
            },
            clientTLS: try TestCluster.clientTLS(pki), token: "t"
        ) { cluster async throws in
            #expect(cluster.url.scheme == "https")
            #expect(try await cluster.client.post("/api/v1/namespaces/ns/secrets", Fixtures.secret("tls")).status == 201)
        }
    }

    @Test func clientCertificateIsRequiredWhenOnlyAClientCAIsConfigured() async throws {
        let pki = try await TestCertificates.shared
        let tls = KubeAPIServer.TLS(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM,
                                   clientCAPEM: pki.caPEM)
        try await TestCluster.run(
            configure: { $0.tls = tls },
            clientTLS: try TestCluster.clientTLS(pki, certificatePEM: pki.clientCertificatePEM, keyPEM: pki.clientKeyPEM)
        ) { cluster async throws in
            #expect(try await cluster.client.get("/api/v1/namespaces/ns/secrets").status == 200)

            let anonymous = APIClient(baseURL: cluster.url, tls: try TestCluster.clientTLS(pki))
            await #expect(throws: (any Error).self, "the handshake fails without a client certificate") {
                _ = try await anonymous.get("/version")
            }
            await anonymous.shutdown()

            let stranger = APIClient(baseURL: cluster.url, tls: try TestCluster.clientTLS(
                pki, certificatePEM: pki.strangerCertificatePEM, keyPEM: pki.strangerKeyPEM))
            await #expect(throws: (any Error).self, "a certificate from another CA is rejected") {
                _ = try await stranger.get("/version")
            }
            await stranger.shutdown()
        }
    }

    @Test func eitherCredentialWorksWhenBothAreConfigured() async throws {
        let pki = try await TestCertificates.shared
        let tls = KubeAPIServer.TLS(certificateChainPEM: pki.serverCertificatePEM, privateKeyPEM: pki.serverKeyPEM,
                                   clientCAPEM: pki.caPEM)
        try await TestCluster.run(
            configure: { $0.tls = tls; $0.bearerTokens = ["t"] },
            clientTLS: try TestCluster.clientTLS(pki, certificatePEM: pki.clientCertificatePEM, keyPEM: pki.clientKeyPEM)
        ) { cluster async throws in
            #expect(try await cluster.client.get("/version").status == 200, "certificate only")

            let tokenOnly = APIClient(baseURL: cluster.url, tls: try TestCluster.clientTLS(pki), token: "t")
            #expect(try await tokenOnly.get("/version").status == 200)
            await tokenOnly.shutdown()

            let neither = APIClient(baseURL: cluster.url, tls: try TestCluster.clientTLS(pki))
            #expect(try await neither.get("/version").status == 401)
            await neither.shutdown()
        }
    }

    @Test func invalidTLSMaterialFailsToStart() async throws {
        var configuration = KubeAPIServer.Configuration()
        configuration.tls = .init(certificateChainPEM: "not a certificate", privateKeyPEM: "nor a key")
        let server = KubeAPIServer(configuration: configuration)
        await #expect(throws: KubeAPIServerError.self) { _ = try await server.start() }
    }
}
