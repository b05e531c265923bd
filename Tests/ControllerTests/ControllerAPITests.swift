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
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
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
                #expect(response.status == .conflict)
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
        try await Self.app(limiter: RateLimiter(perSecond: 0.001, burst: 1)).test(.router) { client in
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: Self.manifest)) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/verify", method: .post, body: ByteBuffer(bytes: Self.manifest)) { response in
                #expect(response.status == .tooManyRequests)
            }
        }
    }

    @Test("/healthz reflects readiness") func health() async throws {
        try await Self.app(ready: false).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
        }
        try await Self.app(ready: true).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
