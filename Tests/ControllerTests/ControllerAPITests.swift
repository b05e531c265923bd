import Foundation
import Hummingbird
import HummingbirdTesting
import SealKit
import Testing
@testable import SealKitController

/// The HTTP API, served in-process (no sockets), against Bitnami's contract (DESIGN 1.6).
@Suite("Controller HTTP API")
struct ControllerAPITests {
    static let keys = KeyStore(KeyRing([ControllerFixtures.otherKey, ControllerFixtures.key]))

    static func app(limiter: RateLimiter = RateLimiter(perSecond: 100, burst: 100), ready: Bool = true) -> some ApplicationProtocol {
        let router = ControllerAPI.router(.init(keys: keys, limiter: limiter, isReady: { ready }))
        return Application(router: router)
    }

    static let manifest = ControllerFixtures.bytes("manifests/01-strict-opaque.sealedsecret.yaml")

    @Test("GET /v1/cert.pem serves the newest certificate") func certificate() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/cert.pem", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-pem-file")
                let newest = Self.keys.current.newest!
                #expect(String(buffer: response.body) == newest.certificate.pem())
            }
        }
    }

    @Test("the sealing page: / redirects to ui/, /ui/ serves it with its CSP, beside the API") func sealingPage() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == "ui/")
            }
            try await client.execute(uri: "/ui/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("connect-src 'self'") == true)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(String(buffer: response.body).contains(#"<script type="module" src="app.js"></script>"#))
            }
            try await client.execute(uri: "/ui/seal.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
            }
            // The API is unchanged beside it.
            try await client.execute(uri: "/v1/cert.pem", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("POST /v1/verify: 200 when it decrypts, 409 when not, 400 for garbage") func verify() async throws {
        let renamed = ControllerFixtures.bytes("manifests/neg-05-renamed.sealedsecret.json")
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: Self.manifest)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: renamed)) { response in
                #expect(response.status == .conflict)
                #expect(response.body.readableBytes == 0)
            }
            // Bitnami's codes for bodies that are not one SealedSecret: 500.
            let secret = #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}"#
            let twoDocuments = String(decoding: Self.manifest, as: UTF8.self) + "\n---\n" + String(decoding: Self.manifest, as: UTF8.self)
            for body in ["{not json", secret, twoDocuments, ""] {
                for path in ["/v1/verify", "/v1/rotate"] {
                    try await client.execute(uri: path, method: .post, body: ByteBuffer(string: body)) { response in
                        #expect(response.status == .internalServerError, "\(path) with \(body.prefix(20))")
                    }
                }
            }
        }
    }

    /// The probe of the reported attack: a victim's SealedSecret (same name, namespace and
    /// ciphertexts) with a template that fails differently depending on the first letter.
    static func probe(guessing letter: String) throws -> [UInt8] {
        var sealed = try SealedSecret(node: YAMLReader.manifests(manifest)[0].root)
        sealed.template.data = [("x", "{{if eq (substr 0 1 .password) \"\(letter)\"}}{{fail \"a\"}}{{else}}{{fail \"b\"}}{{end}}")]
        return JSONWriter.write(sealed.node())
    }

    @Test("POST /v1/verify is no oracle: both branches of a value-dependent template get the same empty answer",
          arguments: ["a", "b", "h", "s", "p"])
    func verifyIsNoOracle(letter: String) async throws {
        let router = ControllerAPI.router(.init(keys: Self.keys, limiter: RateLimiter(perSecond: 100, burst: 100)))
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: try Self.probe(guessing: letter))) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test("POST /v1/verify with a legacy v1 blob only decrypts; garbage ciphertexts get an empty 409")
    func verifyAnswersOnlyYesOrNo() async throws {
        let legacy = ControllerFixtures.bytes("manifests/ext-06-legacy-v1-data.sealedsecret.json")
        var broken = try SealedSecret(node: YAMLReader.manifests(Self.manifest)[0].root)
        broken.setCiphertext("AgBy", for: "extra")
        let brokenBody = JSONWriter.write(broken.node())
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: legacy)) { response in
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: brokenBody)) { response in
                #expect(response.status == .conflict)
                #expect(response.body.readableBytes == 0)
            }
        }
    }

    @Test("POST /v1/rotate refuses more items than the budget, answering at once")
    func rotateBudget() async throws {
        var sealed = try SealedSecret(node: YAMLReader.manifests(Self.manifest)[0].root)
        // Short bodies: the count alone must be refused, before anything is decrypted.
        for index in 0 ... UnsealBudget.cluster.maxItems { sealed.setCiphertext("AgBy", for: "item\(index)") }
        let body = JSONWriter.write(sealed.node())
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/rotate", method: .post, body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body).contains("over budget"))
            }
        }
    }

    @Test("POST /v1/rotate re-seals with the newest key and keeps the scope") func rotate() async throws {
        let wide = ControllerFixtures.bytes("manifests/03-cluster-wide-tls-skip-owner.sealedsecret.yaml")
        try await Self.app().test(.router) { client in
            for (input, scope) in [(Self.manifest, SealingScope.strict), (wide, .clusterWide)] {
                try await client.execute(uri: "/v1/rotate", method: .post, body: ByteBuffer(bytes: input)) { response in
                    #expect(response.status == .ok)
                    let node = try YAMLReader.manifests(Array(buffer: response.body))[0].root
                    let rotated = try SealedSecret(node: node)
                    let original = try SealedSecret(node: YAMLReader.manifests(input)[0].root)
                    #expect(rotated.scope == scope)
                    #expect(rotated.encryptedData.map(\.key) == original.encryptedData.map(\.key))
                    #expect(rotated.encryptedData.map(\.ciphertext) != original.encryptedData.map(\.ciphertext))
                    // The rotated object opens with the newest key alone, to the same values.
                    let newestOnly = Unsealer(keys: [Self.keys.current.newest!.privateKey])
                    let before = try Self.keys.current.unsealer(templates: nil).decryptItems(original).map(\.value)
                    #expect(try newestOnly.decryptItems(rotated).map(\.value) == before)
                }
            }
        }
    }

    @Test("verify is rate limited") func rateLimited() async throws {
        try await Self.app(limiter: RateLimiter(perSecond: 0.001, burst: 1)).test(.router) { client async throws in
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: Self.manifest)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: Self.manifest)) { response in
                #expect(response.status == .tooManyRequests)
            }
        }
    }

    static func post(_ client: some TestClientProtocol, _ path: String, from forwardedFor: String?,
                     body: [UInt8] = ControllerAPITests.manifest) async throws -> HTTPResponse.Status {
        var headers = HTTPFields()
        if let forwardedFor { headers[.init("X-Forwarded-For")!] = forwardedFor }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { $0.status }
    }

    /// Regression: one global bucket let a `reseal --online` run (many /v1/rotate calls) lock
    /// every other user out of `--validate` (/v1/verify).
    @Test("exhausting /v1/rotate for one client leaves /v1/verify and other clients answering") func perPathAndClient() async throws {
        try await Self.app(limiter: RateLimiter(perSecond: 0.001, burst: 2)).test(.router) { client async throws in
            #expect(try await Self.post(client, "/v1/rotate", from: "10.0.0.1") == .ok)
            #expect(try await Self.post(client, "/v1/rotate", from: "10.0.0.1") == .ok)
            #expect(try await Self.post(client, "/v1/rotate", from: "10.0.0.1") == .tooManyRequests)
            #expect(try await Self.post(client, "/v1/verify", from: "10.0.0.1") == .ok, "verify has its own bucket")
            #expect(try await Self.post(client, "/v1/rotate", from: "10.0.0.2") == .ok, "another client has its own bucket")
            #expect(try await Self.post(client, "/v1/rotate", from: "10.0.0.1") == .tooManyRequests)
        }
    }

    @Test("the client is the first hop of X-Forwarded-For, trimmed") func forwardedForFirstHop() async throws {
        try await Self.app(limiter: RateLimiter(perSecond: 0.001, burst: 1)).test(.router) { client async throws in
            // The API server's proxy appends the caller's address: the first hop names the caller.
            #expect(try await Self.post(client, "/v1/verify", from: " 10.0.0.7 , 10.96.0.1") == .ok)
            #expect(try await Self.post(client, "/v1/verify", from: "10.0.0.7") == .tooManyRequests, "same first hop")
            #expect(try await Self.post(client, "/v1/verify", from: "10.0.0.8, 10.0.0.7") == .ok, "a different first hop")
        }
    }

    @Test("without X-Forwarded-For the peer address names the client") func peerAddress() async throws {
        try await Self.app(limiter: RateLimiter(perSecond: 0.001, burst: 1)).test(.live) { client async throws in
            #expect(try await Self.post(client, "/v1/verify", from: nil) == .ok)
            // A new connection comes from another port, but the same address: same client.
            #expect(try await Self.post(client, "/v1/verify", from: nil) == .tooManyRequests)
            #expect(try await Self.post(client, "/v1/verify", from: "10.0.0.9") == .ok)
        }
    }

    @Test("the bucket table stays bounded under spoofed X-Forwarded-For") func boundedUnderSpoofing() async throws {
        let limiter = RateLimiter(perSecond: 0.001, burst: 1, maximumBuckets: 64)
        try await Self.app(limiter: limiter).test(.router) { client in
            for index in 0 ..< 1000 {
                // Garbage bodies: rejected after the limiter, without any RSA work.
                let status = try await Self.post(client, "/v1/verify", from: "192.0.2.\(index % 250), 10.\(index)", body: Array("{".utf8))
                #expect(status == .internalServerError || status == .tooManyRequests)
            }
        }
        #expect(limiter.bucketCount <= 64)
    }

    @Test("/healthz is liveness (always 200 ok); /readyz reflects readiness, as Bitnami's") func health() async throws {
        try await Self.app(ready: false).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
        try await Self.app(ready: true).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
