import Foundation
import SealKit

extension ClusterConnection {
    /// Applies kubectl's connection flags on top of what the kubeconfig said.
    ///
    /// - Throws: `KubeError(.configuration)` naming the flag, for unreadable files, a
    ///   certificate without its key, `--as-group`/`--as-uid` without `--as`, or a bad timeout.
    mutating func apply(_ overrides: ConnectionOverrides, userName: String) throws(KubeError) {
        if let server = overrides.server, !server.isEmpty {
            guard let url = URL(string: server.hasSuffix("/") ? String(server.dropLast()) : server),
                  url.scheme == "https" || url.scheme == "http", url.host != nil
            else { throw KubeError(.configuration, "--server \(server) is not an http(s) URL") }
            self.server = url
        }
        if let name = overrides.tlsServerName, !name.isEmpty {
            tlsServerName = name
        }
        if let disable = overrides.disableCompression { disableCompression = disable }
        if let path = overrides.certificateAuthority, !path.isEmpty {
            certificateAuthorityPEM = try Self.read(path, flag: "--certificate-authority")
        }
        if let insecure = overrides.insecureSkipTLSVerify {
            if insecure, overrides.certificateAuthority?.isEmpty == false {
                throw KubeError(.configuration, "--certificate-authority and --insecure-skip-tls-verify cannot be combined: a root certificate is pointless when the server certificate is not checked")
            }
            insecureSkipTLSVerify = insecure
            // As kubectl: skipping verification drops the kubeconfig's CA instead of failing.
            if insecure { certificateAuthorityPEM = nil }
        }

        // A credential on the command line replaces the kubeconfig user's credentials.
        let certificateGiven = overrides.clientCertificate?.isEmpty == false
        let keyGiven = overrides.clientKey?.isEmpty == false
        if certificateGiven != keyGiven {
            throw KubeError(.configuration, "--client-certificate and --client-key must be given together")
        }
        if certificateGiven, let certificate = overrides.clientCertificate, let key = overrides.clientKey {
            clientCertificatePEM = try Self.read(certificate, flag: "--client-certificate")
            clientKeyPEM = SecretBytes(try Self.read(key, flag: "--client-key"))
            if case .exec = credentials { credentials = .none }
        }
        if let token = overrides.token, !token.isEmpty {
            credentials = .bearer(TokenSource(token: token))
        } else if overrides.username?.isEmpty == false || overrides.password?.isEmpty == false {
            credentials = .basic(username: overrides.username ?? "", password: overrides.password ?? "")
        }

        if let user = overrides.impersonateUser, !user.isEmpty {
            impersonation = Impersonation(user: user, groups: overrides.impersonateGroups, uid: overrides.impersonateUID)
        } else if !overrides.impersonateGroups.isEmpty || overrides.impersonateUID?.isEmpty == false {
            guard var existing = impersonation else {
                throw KubeError(.configuration, "--as-group and --as-uid need --as (the user to impersonate)")
            }
            if !overrides.impersonateGroups.isEmpty { existing.groups = overrides.impersonateGroups }
            if let uid = overrides.impersonateUID, !uid.isEmpty { existing.uid = uid }
            impersonation = existing
        }

        if let timeout = overrides.requestTimeout, !timeout.isEmpty {
            requestTimeout = try Self.parseRequestTimeout(timeout)
        }
    }

    /// kubectl's `--request-timeout`: a bare integer is seconds, otherwise a Go duration
    /// (`1s`, `2m30s`, `500ms`); `0` disables the limit.
    static func parseRequestTimeout(_ text: String) throws(KubeError) -> Duration {
        let invalid = KubeError(.configuration, "--request-timeout \(text): expected a number of seconds or a duration such as 30s, 2m or 1h (0 for none)")
        if let seconds = Int(text) {
            guard seconds >= 0 else { throw invalid }
            return .seconds(seconds)
        }
        // Checked before conversion: a hostile value must not trap (at most 100 years).
        guard let seconds = try? GoDuration.parse(text), seconds.isFinite, seconds >= 0, seconds <= 3_153_600_000 else { throw invalid }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private static func read(_ path: String, flag: String) throws(KubeError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeError(.configuration, "\(flag) \(path): cannot read the file")
        }
        return Array(data)
    }
}
