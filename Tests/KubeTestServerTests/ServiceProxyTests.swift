import KubeTestServer
import Testing

/// The service proxy subresource, the way SealKit's CLI fetches the controller certificate.
@Suite struct ServiceProxyTests {
    let services = "/api/v1/namespaces/kube-system/services"

    private func service(_ name: String, ports: [JSONValue]) -> JSONValue {
        ["metadata": ["name": .string(name)], "spec": ["selector": ["app": .string(name)], "ports": .array(ports)]]
    }

    @Test func forwardsToTheTargetPortByNameNumberOrDefault() async throws {
        let upstream = try await UpstreamServer.start()
        try await TestCluster.run(configure: { $0.bearerTokens = ["secret-token"] }, token: "secret-token") { cluster async throws in
            let target = JSONValue.int(Int64(upstream.port))
            _ = try await cluster.client.post(services, service("sealed-secrets-controller", ports: [
                ["name": "http", "port": 8080, "targetPort": target],
                ["name": "metrics", "port": 8081, "targetPort": 1],
            ]))
            _ = try await cluster.client.post(services, service("single", ports: [["port": 80, "targetPort": target]]))

            for path in [
                "http:sealed-secrets-controller:http",
                "sealed-secrets-controller:http",
                "sealed-secrets-controller:8080",
                "single",
            ] {
                let response = try await cluster.client.get("\(services)/\(path)/proxy/v1/cert.pem")
                #expect(response.status == 200, "\(path)")
                #expect(response.text.hasPrefix("-----BEGIN CERTIFICATE-----"), "\(path)")
                #expect(response.header("Content-Type") == ["application/x-pem-file"])
            }

            let echoed = try await cluster.client.send(
                "POST", "\(services)/http:sealed-secrets-controller:http/proxy/echo/v1/verify?x=1&y=a%20b",
                rawBody: Array("payload".utf8), contentType: "application/octet-stream")
            #expect(echoed.status == 201)
            #expect(echoed.text == "POST /echo/v1/verify?x=1&y=a%20b auth=<none> body=payload", "credentials are not forwarded")
            #expect(echoed.header("X-Upstream") == ["yes"])

            let redirect = try await cluster.client.get("\(services)/single/proxy/redirect")
            #expect(redirect.status == 302, "redirects are relayed, not followed")
            #expect(redirect.header("Location") == ["/elsewhere"])
        }
        await upstream.stop()
    }

    @Test func failuresAreStatusObjects() async throws {
        try await TestCluster.run { cluster async throws in
            _ = try await cluster.client.post(services, service("named", ports: [["name": "http", "port": 8080, "targetPort": 1]]))

            let missing = try await cluster.client.get("\(services)/nope:http/proxy/")
            #expect(missing.status == 404)
            #expect(try missing.json.string("message") == "services \"nope\" not found")

            let noPortName = try await cluster.client.get("\(services)/named:grpc/proxy/")
            #expect(noPortName.status == 503)
            #expect(try noPortName.json.string("message") == "no endpoints available for service \"named:grpc\"")

            let noPortNumber = try await cluster.client.get("\(services)/named:9999/proxy/")
            #expect(noPortNumber.status == 503)
            #expect(try noPortNumber.json.string("message") == "no service port 9999 found for service \"named\"")

            let unreachable = try await cluster.client.get("\(services)/named:http/proxy/healthz")
            #expect(unreachable.status == 503)
            #expect(try unreachable.json.string("reason") == "ServiceUnavailable")
            #expect(try unreachable.json.string("message").hasPrefix("error trying to reach service"))

            let badScheme = try await cluster.client.get("\(services)/ftp:named:http/proxy/")
            #expect(badScheme.status == 400)
        }
    }
}
