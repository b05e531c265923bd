public import Hummingbird
import NIOCore

/// Serves the sealing page at `/ui/` (and redirects `/` there), for the controller's API port
/// and for `sealkit ui`. The page fetches `../v1/cert.pem` from the same origin and seals in
/// the browser; these routes only hand out static files.
///
/// Every answer carries headers that keep the page to itself: a Content-Security-Policy
/// allowing only the page's own scripts, styles and icon and same-origin `fetch` (no inline
/// script or style, no forms, no framing), `Cache-Control: no-store`, `nosniff`,
/// `Referrer-Policy: no-referrer` and `X-Frame-Options: DENY`. `UIRoutesTests` checks them.
public enum UIRoutes {
    /// The page's Content-Security-Policy. `form-action 'none'` means that even with scripts
    /// broken nothing typed can be submitted anywhere.
    public static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
        "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The headers sent with every page response (files, redirects and 404s).
    public static var securityHeaders: HTTPFields {
        var headers = HTTPFields()
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        headers[.init("X-Frame-Options")!] = "DENY"
        headers[.init("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[.init("Cross-Origin-Resource-Policy")!] = "same-origin"
        return headers
    }

    /// Adds `GET /` (redirect), `GET /ui` (redirect to `/ui/`), `GET /ui/` and `GET /ui/<file>`.
    /// Redirects are relative (`ui/`), so they also work below the API server's service proxy
    /// (`…/services/http:NAME:http/proxy/`).
    public static func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ -> Response in
            redirect(to: "ui/")
        }
        router.get("/ui") { request, _ -> Response in
            // Without the slash the page's relative URLs would resolve one level too high.
            guard request.uri.path.hasSuffix("/") else { return redirect(to: "ui/") }
            return serve(UIAssets.indexName)
        }
        router.get("/ui/:file") { _, context -> Response in
            serve(context.parameters.get("file") ?? "")
        }
    }

    static func serve(_ name: String) -> Response {
        var headers = securityHeaders
        guard let file = UIAssets.files[name] else {
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "not found\n")))
        }
        headers[.contentType] = file.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    static func redirect(to location: String) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .found, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "see \(location)\n")))
    }
}
