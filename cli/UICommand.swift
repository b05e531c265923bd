import ArgumentParser
import Foundation
import SealKit
import SealKitUI

/// `sealkit ui`: serves the sealing page (the one the controller serves at `/ui/`) on a local
/// port with one certificate, so anyone can seal in a browser without kubectl or a cluster.
struct UICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui",
        abstract: "Serve the in-browser sealing page locally.",
        discussion: """
            Serves the sealing page at http://127.0.0.1:8080/ui/ with the certificate from \
            --cert (a PEM file or an http(s) URL), or the cluster's, fetched once through the \
            API server as sealing does. The page seals in the browser with WebCrypto: values \
            never reach this process, which serves only the page's files and the certificate.

            Browsers enable WebCrypto only in a secure context, which plain http is only on \
            localhost and 127.0.0.1; so --listen must be a loopback address unless \
            --allow-non-loopback is given (for a TLS-terminating proxy in front).

            Examples:
              sealkit ui --cert cert.pem
              sealkit ui --listen 127.0.0.1:0          # any free port; the URL is printed
              sealkit ui --controller-namespace sealed-secrets
            """
    )

    @OptionGroup(title: "Certificate")
    var certificate: CertificateOption

    @OptionGroup(title: "Cluster (when --cert is not given)")
    var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Address to listen on: HOST:PORT (port 0 picks a free one).", valueName: "host:port"))
    var listen = "127.0.0.1:8080"

    @Flag(help: "Allow --listen on an address other than loopback (only behind an https proxy: browsers refuse WebCrypto on plain http elsewhere).")
    var allowNonLoopback = false

    func run() async throws {
        let (host, port) = try Self.parse(listen: listen)
        if !allowNonLoopback, !UIServer.isLoopback(host) {
            throw CLIFailure("--listen \(listen): not a loopback address; the page needs a secure context (https, or http on localhost); pass --allow-non-loopback if an https proxy serves it")
        }
        let context = CommandContext(certificate: certificate, keys: RecoveryKeysOption(), connection: connection, namespaceFlag: nil)
        let loaded = try await context.certificate()
        let pem = loaded.pem()
        let fingerprint = loaded.publicKey.fingerprint
        do {
            try await UIServer.run(certificatePEM: pem, host: host, port: port) { bound in
                let shown = host.contains(":") ? "[\(host)]" : host
                Console.err("serving the sealing page at http://\(shown):\(bound)/ui/ (certificate \(fingerprint)); Ctrl+C stops\n")
            }
        } catch {
            throw CLIFailure("--listen \(listen): cannot serve: \(error)")
        }
    }

    /// `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (loopback); the port is range-checked.
    static func parse(listen: String) throws(CLIFailure) -> (host: String, port: Int) {
        var host: Substring
        let portText: Substring
        if listen.hasPrefix("[") {
            guard let close = listen.firstIndex(of: "]"), listen[listen.index(after: close)...].hasPrefix(":") else {
                throw CLIFailure("--listen \(listen): expected HOST:PORT")
            }
            host = listen[listen.index(after: listen.startIndex) ..< close]
            portText = listen[listen.index(close, offsetBy: 2)...]
        } else {
            guard let colon = listen.lastIndex(of: ":") else { throw CLIFailure("--listen \(listen): expected HOST:PORT") }
            host = listen[..<colon]
            portText = listen[listen.index(after: colon)...]
        }
        if host.isEmpty { host = "127.0.0.1" }
        guard let port = Int(portText), (0 ... 65535).contains(port) else {
            throw CLIFailure("--listen \(listen): the port must be a number from 0 to 65535")
        }
        return (String(host), port)
    }
}
