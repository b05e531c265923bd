import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SealKit

/// Loads the sealing certificate from `--cert`: a file path or an http(s) URL, as kubeseal
/// accepts. The certificate is validated (RSA, ≥ 2048 bits, not expired) before use.
enum CertificateSource {
    static let maximumSize = 1 << 20

    static func load(_ location: String) async throws(CLIFailure) -> Certificate {
        let bytes: [UInt8]
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            bytes = try await fetch(location)
        } else if location.lowercased().hasPrefix("file://") {
            // kubeseal serves file:// URLs from "/": the URL's path, percent-decoded.
            guard let url = URL(string: location), !url.path.isEmpty else { throw CLIFailure("\(location): not a valid file:// URL") }
            bytes = try InputFile.read(url.path).bytes
        } else {
            bytes = try InputFile.read(location).bytes
        }
        return try parse(bytes, source: location)
    }

    static func parse(_ bytes: [UInt8], source: String) throws(CLIFailure) -> Certificate {
        do {
            let certificate = try Certificate(pem: bytes)
            try certificate.validate()
            return certificate
        } catch {
            throw CLIFailure("\(source): \(error.message)")
        }
    }

    private static func fetch(_ location: String) async throws(CLIFailure) -> [UInt8] {
        guard let url = URL(string: location) else { throw CLIFailure("\(location): not a valid URL") }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.setValue("application/x-pem-file", forHTTPHeaderField: "Accept")
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            if let http = response as? HTTPURLResponse, !(200 ..< 300).contains(http.statusCode) {
                throw CLIFailure("\(location): HTTP \(http.statusCode)")
            }
            guard data.count <= maximumSize else { throw CLIFailure("\(location): response larger than 1 MiB") }
            return Array(data)
        } catch let error as CLIFailure {
            throw error
        } catch {
            throw CLIFailure("\(location): cannot fetch certificate: \(error.localizedDescription)")
        }
    }
}
