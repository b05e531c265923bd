import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import SealKit

/// kubectl's `auth-provider: {name: oidc}`: sends the kubeconfig's `id-token` while its JWT
/// `exp` is more than 10 seconds away; otherwise refreshes it with `refresh-token` at the token
/// endpoint the issuer (`idp-issuer-url`) names in `/.well-known/openid-configuration`, and
/// writes the new `id-token` (and `refresh-token`, when the issuer rotates it) back into the
/// kubeconfig file that defined the user, atomically and mode 0600, as kubectl does.
///
/// Tokens and the client secret never appear in errors or logs.
public actor OIDCAuthProvider {
    struct Settings: Sendable {
        var clientID: String
        var clientSecret: String?
        var idToken: String?
        var refreshToken: String?
        var issuerURL: String?
        var certificateAuthorityPEM: [UInt8]?
        var extraScopes: [String]
    }

    /// client-go refreshes this long before the token's `exp`.
    static let expiryMargin: TimeInterval = 10

    private var settings: Settings
    private let userName: String
    /// The kubeconfig file to update; nil when the user came from no file.
    private let kubeconfigPath: String?
    private var pending: Task<Result<String, KubeError>, Never>?

    init(settings: Settings, userName: String, kubeconfigPath: String?) {
        self.settings = settings
        self.userName = userName
        self.kubeconfigPath = kubeconfigPath
    }

    /// Reads `auth-provider.config`.
    ///
    /// - Throws: `KubeError(.configuration)` when `client-id` is missing or a CA file cannot be read.
    static func make(config: Mapping, userName: String, kubeconfigPath: String?, baseDirectory: String) throws(KubeError) -> OIDCAuthProvider {
        func text(_ key: String) -> String? {
            guard let value = config[key]?.scalar?.text, !value.isEmpty else { return nil }
            return value
        }
        guard let clientID = text("client-id") else {
            throw KubeError(.configuration, "user \"\(userName)\": auth-provider oidc needs client-id")
        }
        var certificateAuthority: [UInt8]?
        if let data = text("idp-certificate-authority-data") {
            do { certificateAuthority = try Base64.decode(data) } catch {
                throw KubeError(.configuration, "user \"\(userName)\": auth-provider oidc: idp-certificate-authority-data is not valid base64")
            }
        } else if let file = text("idp-certificate-authority") {
            let path = file.hasPrefix("/") ? file : baseDirectory + "/" + file
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw KubeError(.configuration, "user \"\(userName)\": auth-provider oidc: cannot read idp-certificate-authority \(path)")
            }
            certificateAuthority = Array(contents)
        }
        let scopes = (text("extra-scopes") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let settings = Settings(clientID: clientID, clientSecret: text("client-secret"), idToken: text("id-token"),
                                refreshToken: text("refresh-token"), issuerURL: text("idp-issuer-url"),
                                certificateAuthorityPEM: certificateAuthority, extraScopes: scopes)
        return OIDCAuthProvider(settings: settings, userName: userName, kubeconfigPath: kubeconfigPath)
    }

    /// The id-token to send now, refreshed first when it has expired.
    public func token() async throws(KubeError) -> String {
        if let idToken = settings.idToken, !Self.isExpired(idToken, now: Date()) { return idToken }
        let task: Task<Result<String, KubeError>, Never>
        if let pending {
            task = pending
        } else {
            task = Task { await self.refresh() }
            pending = task
        }
        let result = await task.value
        if pending == task { pending = nil }
        return try result.get()
    }

    /// Whether the JWT's `exp` is within `expiryMargin` of `now`; a token that is not a JWT
    /// with an `exp` counts as expired, so it is refreshed rather than sent blindly.
    static func isExpired(_ token: String, now: Date) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return true }
        var payload = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while payload.count % 4 != 0 { payload += "=" }
        guard let bytes = try? Base64.decode(payload), let claims = try? YAMLReader.documents(bytes).first?.root.mapping,
              let expText = claims["exp"]?.scalar?.text, let exp = Double(expText), exp.isFinite
        else { return true }
        return now.addingTimeInterval(expiryMargin) >= Date(timeIntervalSince1970: exp)
    }

    private func refresh() async -> Result<String, KubeError> {
        func failure(_ message: String) -> Result<String, KubeError> {
            .failure(KubeError(.configuration, "user \"\(userName)\": auth-provider oidc: \(message)"))
        }
        guard let refreshToken = settings.refreshToken else {
            return failure("the id-token has expired (or is missing) and there is no refresh-token to renew it; log in again")
        }
        guard let issuer = settings.issuerURL else { return failure("cannot refresh the id-token without idp-issuer-url") }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca = settings.certificateAuthorityPEM {
            do { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca)) } catch {
                return failure("idp-certificate-authority is not a PEM certificate")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { Task { try? await http.shutdown() } }

        let discoveryURL = (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/.well-known/openid-configuration"
        let endpoint: String
        switch await Self.fetchJSON(http, HTTPClientRequest(url: discoveryURL)) {
        case .failure(let error): return failure("cannot read \(discoveryURL): \(error.message)")
        case .success(let document):
            guard let value = document["token_endpoint"]?.scalar?.text, !value.isEmpty else {
                return failure("\(discoveryURL) names no token_endpoint")
            }
            endpoint = value
        }

        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Accept", value: "application/json")
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        if !settings.extraScopes.isEmpty { form.append(("scope", (["openid"] + settings.extraScopes).joined(separator: " "))) }
        // RFC 6749 §2.3.1: client credentials in HTTP basic auth, each form-encoded first.
        let credentials = Self.formEncode(settings.clientID) + ":" + Self.formEncode(settings.clientSecret ?? "")
        request.headers.add(name: "Authorization", value: "Basic " + Base64.encode(Array(credentials.utf8)))
        request.body = .bytes(Array(form.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&").utf8))
        let answer: Mapping
        switch await Self.fetchJSON(http, request) {
        case .failure(let error): return failure("refreshing the id-token at \(endpoint) failed: \(error.message)")
        case .success(let document): answer = document
        }
        guard let idToken = answer["id_token"]?.scalar?.text, !idToken.isEmpty else {
            return failure("the token endpoint \(endpoint) returned no id_token")
        }
        settings.idToken = idToken
        if let rotated = answer["refresh_token"]?.scalar?.text, !rotated.isEmpty { settings.refreshToken = rotated }
        if let kubeconfigPath {
            do throws(KubeError) {
                try KubeconfigWriteBack.updateAuthProvider(path: kubeconfigPath, user: userName,
                                                           values: ["id-token": idToken, "refresh-token": settings.refreshToken ?? ""])
            } catch {
                return .failure(error)
            }
        }
        return .success(idToken)
    }

    /// GET or POST returning a JSON object; the message of a failure never includes the body
    /// (it may echo tokens), only the status and the OAuth `error` code.
    private static func fetchJSON(_ http: HTTPClient, _ request: HTTPClientRequest) async -> Result<Mapping, FetchFailure> {
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            let body = Array(buffer: try await response.body.collect(upTo: 1 << 20))
            let document = try? YAMLReader.documents(body).first?.root.mapping
            guard (200 ..< 300).contains(Int(response.status.code)) else {
                let code = (document?["error"]?.scalar?.text).map { " (\($0))" } ?? ""
                return .failure(FetchFailure(message: "HTTP \(response.status.code)\(code)"))
            }
            guard let document else { return .failure(FetchFailure(message: "the answer is not a JSON object")) }
            return .success(document)
        } catch {
            return .failure(FetchFailure(message: "\(error)"))
        }
    }

    struct FetchFailure: Error {
        let message: String
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
