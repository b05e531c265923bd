import Hummingbird
import HummingbirdTesting
import Testing
@testable import SealKitUI

/// The page's routes and headers, in-process, as `sealkit ui` serves them (the controller adds
/// the same routes; ControllerTests checks them there).
@Suite("Sealing page routes")
struct UIRoutesTests {
    static let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    static func app() -> some ApplicationProtocol {
        Application(router: UIServer.router(certificatePEM: pem))
    }

    static func expectSecurityHeaders(_ response: TestResponse, _ path: String) {
        let csp = response.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("default-src 'self'"), "\(path)")
        #expect(csp.contains("connect-src 'self'"), "\(path)")
        #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
        #expect(csp.contains("form-action 'none'"), "\(path)")
        #expect(!csp.contains("unsafe"), "\(path)")
        #expect(response.headers[.cacheControl] == "no-store", "\(path)")
        #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path)")
        #expect(response.headers[.init("Referrer-Policy")!] == "no-referrer", "\(path)")
        #expect(response.headers[.init("X-Frame-Options")!] == "DENY", "\(path)")
    }

    @Test("/ and /ui redirect to ui/ (relative, so it works below the API server proxy)") func redirects() async throws {
        try await Self.app().test(.router) { client in
            for path in ["/", "/ui"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .found, "\(path)")
                    #expect(response.headers[.location] == "ui/", "\(path)")
                    Self.expectSecurityHeaders(response, path)
                }
            }
        }
    }

    @Test("/ui/ serves the page, each file with its type and the security headers") func files() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/ui/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(String(buffer: response.body) == UIAssets.sources["index.html"])
                Self.expectSecurityHeaders(response, "/ui/")
            }
            for (name, file) in UIAssets.files {
                try await client.execute(uri: "/ui/\(name)", method: .get) { response in
                    #expect(response.status == .ok, "\(name)")
                    #expect(response.headers[.contentType] == file.contentType, "\(name)")
                    #expect(Array(buffer: response.body) == file.bytes, "\(name)")
                    Self.expectSecurityHeaders(response, name)
                }
            }
        }
    }

    @Test("unknown files are 404 with the same headers") func missing() async throws {
        try await Self.app().test(.router) { client in
            for path in ["/ui/nope.js", "/ui/..%2FPackage.swift", "/ui/index.html/x"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    if path != "/ui/index.html/x" { Self.expectSecurityHeaders(response, path) }
                }
            }
        }
    }

    @Test("/v1/cert.pem serves the given certificate, not cached") func certificate() async throws {
        try await Self.app().test(.router) { client in
            try await client.execute(uri: "/v1/cert.pem", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-pem-file")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(String(buffer: response.body) == Self.pem)
            }
        }
    }

    @Test("loopback addresses") func loopback() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1"] { #expect(UIServer.isLoopback(host), "\(host)") }
        for host in ["0.0.0.0", "10.0.0.1", "::", "example.com", "127.0.0.1.example.com", "127.0.0.256"] {
            #expect(!UIServer.isLoopback(host), "\(host)")
        }
    }
}
