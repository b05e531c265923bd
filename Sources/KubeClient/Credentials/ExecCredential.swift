public import Foundation
public import SealKit

/// The credential a plugin printed: `status` of an `ExecCredential`. Either a bearer token, a
/// client certificate and key (PEM), or both; valid until `expiration` when it has one.
public struct ExecCredential: Sendable {
    public let token: SecretBytes?
    public let clientCertificatePEM: [UInt8]?
    public let clientKeyPEM: SecretBytes?
    public let expiration: Date?

    /// Reads a plugin's stdout. The messages never quote the output: it holds the credential.
    ///
    /// - Throws: `KubeError(.configuration)` naming the plugin when the output is not an
    ///   ExecCredential of `apiVersion` with a usable `status`.
    static func parse(_ output: [UInt8], apiVersion: String, plugin: String) throws(KubeError) -> ExecCredential {
        func failure(_ message: String) -> KubeError {
            KubeError(.configuration, "exec plugin \"\(plugin)\": \(message)")
        }
        let root: Mapping
        do {
            guard let mapping = try YAMLReader.documents(output).first?.root.mapping else {
                throw failure("printed no ExecCredential object on stdout")
            }
            root = mapping
        } catch let error as KubeError {
            throw error
        } catch {
            throw failure("printed something that is not an ExecCredential JSON object on stdout")
        }
        let returnedVersion = root["apiVersion"]?.scalar?.text ?? ""
        guard returnedVersion == apiVersion else {
            throw failure("is configured to use API version \(apiVersion), but returned \"\(returnedVersion)\"")
        }
        if let kind = root["kind"]?.scalar?.text, kind != "ExecCredential" {
            throw failure("returned a \(kind), not an ExecCredential")
        }
        guard let status = root["status"]?.mapping else { throw failure("returned no status field") }
        let token = status["token"]?.scalar?.text ?? ""
        let certificate = status["clientCertificateData"]?.scalar?.text ?? ""
        let key = status["clientKeyData"]?.scalar?.text ?? ""
        if token.isEmpty, certificate.isEmpty, key.isEmpty {
            throw failure("returned neither a token nor a client certificate and key")
        }
        if certificate.isEmpty != key.isEmpty {
            throw failure("returned only one of clientCertificateData and clientKeyData")
        }
        var expiration: Date?
        if let stamp = status["expirationTimestamp"]?.scalar?.text, !stamp.isEmpty {
            guard let date = Self.parseTimestamp(stamp) else {
                throw failure("returned an expirationTimestamp that is not RFC 3339: \(stamp)")
            }
            expiration = date
        }
        return ExecCredential(
            token: token.isEmpty ? nil : SecretBytes(utf8: token),
            clientCertificatePEM: certificate.isEmpty ? nil : Array(certificate.utf8),
            clientKeyPEM: key.isEmpty ? nil : SecretBytes(utf8: key),
            expiration: expiration)
    }

    /// RFC 3339, with or without fractional seconds (Go's `metav1.Time` accepts both).
    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    func isExpired(at now: Date) -> Bool {
        guard let expiration else { return false }
        return now >= expiration
    }
}
