import Foundation
import KubeTestServer
import Logging

/// The command line of `kube-test-server`, parsed by hand to keep the tool free of
/// dependencies beyond the server itself.
struct CommandLineOptions {
    static let usage = """
        USAGE: kube-test-server [options]

        Runs the SealKit Kubernetes API test server on loopback until interrupted, and prints
        its base URL on the first line of standard output.

        OPTIONS:
          --host <address>             Address to bind (default 127.0.0.1).
          --port <port>                Port to bind; 0 picks a free port (default 0).
          --tls-cert <file>            PEM server certificate chain; enables HTTPS.
          --tls-key <file>             PEM private key of the server certificate.
          --client-ca <file>           PEM CA whose client certificates authenticate requests.
          --token <token>              Accepted bearer token (repeatable).
          --user <name>                User named in 403 messages (default test).
          --compaction-window <n>      Past events a watch can resume from (default 1000).
          --bookmark-interval <secs>   Seconds between watch bookmarks (default 60).
          --log-level <level>          trace, debug, info, notice, warning, error (default info).
          -h, --help                   Show this help.
        """

    var configuration = KubeAPIServer.Configuration()
    var logLevel = Logger.Level.info

    /// Parses `arguments` (without the program name).
    /// - Throws: ``CommandLineError`` with a message for the user.
    init(_ arguments: [String]) throws {
        var tlsCertificate: String?
        var tlsKey: String?
        var clientCA: String?
        var remaining = arguments[...]

        func value(for flag: String) throws -> String {
            guard let value = remaining.popFirst() else { throw CommandLineError("\(flag) needs a value") }
            return value
        }
        func number(for flag: String) throws -> Int {
            let text = try value(for: flag)
            guard let number = Int(text), number >= 0 else {
                throw CommandLineError("\(flag) needs a non-negative integer, got \"\(text)\"")
            }
            return number
        }

        while let flag = remaining.popFirst() {
            switch flag {
            case "--host": configuration.host = try value(for: flag)
            case "--port": configuration.port = try number(for: flag)
            case "--tls-cert": tlsCertificate = try value(for: flag)
            case "--tls-key": tlsKey = try value(for: flag)
            case "--client-ca": clientCA = try value(for: flag)
            case "--token": configuration.bearerTokens.insert(try value(for: flag))
            case "--user": configuration.userName = try value(for: flag)
            case "--compaction-window": configuration.compactionWindow = try number(for: flag)
            case "--bookmark-interval": configuration.bookmarkInterval = .seconds(try number(for: flag))
            case "--log-level":
                let text = try value(for: flag)
                guard let level = Logger.Level(rawValue: text) else { throw CommandLineError("unknown log level \"\(text)\"") }
                logLevel = level
            case "-h", "--help": throw CommandLineError.helpRequested
            default: throw CommandLineError("unknown option \"\(flag)\"")
            }
        }

        switch (tlsCertificate, tlsKey) {
        case (let certificate?, let key?):
            configuration.tls = KubeAPIServer.TLS(
                certificateChainPEM: try Self.read(certificate), privateKeyPEM: try Self.read(key),
                clientCAPEM: try clientCA.map(Self.read))
        case (nil, nil):
            if clientCA != nil { throw CommandLineError("--client-ca needs --tls-cert and --tls-key") }
        default:
            throw CommandLineError("--tls-cert and --tls-key go together")
        }
    }

    private static func read(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CommandLineError("cannot read \(path): \(error.localizedDescription)")
        }
    }
}

/// A command-line mistake, reported with the usage text.
struct CommandLineError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    static let helpRequested = CommandLineError("")
}
