import Foundation

/// kubeseal reads every flag from `SEALED_SECRETS_<FLAG>` too (`--controller-name` from
/// `SEALED_SECRETS_CONTROLLER_NAME`). Flags given on the command line win; the environment
/// only fills in the rest.
enum EnvironmentFlags {
    /// Options that take a value, by long name.
    static let valueOptions = [
        "cert", "scope", "format", "secret-file", "sealed-secret-file", "name", "namespace", "from-file",
        "merge-into", "recovery-private-key", "kubeconfig", "context", "controller-name", "controller-namespace",
        // kubectl's connection flags
        "server", "token", "as", "as-group", "as-uid", "username", "password", "client-certificate", "client-key",
        "certificate-authority", "tls-server-name", "cluster", "user", "request-timeout",
    ]
    /// Boolean flags, by long name.
    static let booleanFlags = ["raw", "allow-empty-data", "recovery-unseal", "fetch-cert", "validate", "re-encrypt",
                               "insecure-skip-tls-verify", "disable-compression", "rotate", "allow-insecure-key-file"]

    /// Short spellings, so `-n x` on the command line also counts as `--namespace` being given.
    static let shortNames = ["n": "namespace", "o": "format", "f": "secret-file", "w": "sealed-secret-file", "s": "server"]

    static func apply(to arguments: [String], environment: [String: String]) -> [String] {
        // Subcommands (`keys …`) have their own options; only the sealing command reads these.
        if let first = arguments.first, !first.hasPrefix("-") { return arguments }
        let arguments = normalizeBooleans(arguments)
        let given = Set(arguments.compactMap { argument -> String? in
            if argument.hasPrefix("--") {
                return String(argument.dropFirst(2).split(separator: "=", maxSplits: 1).first ?? "")
            }
            if argument.hasPrefix("-"), argument.count >= 2 {
                return shortNames[String(argument.dropFirst().prefix(1))]
            }
            return nil
        })
        var injected: [String] = []
        for name in valueOptions where !given.contains(name) {
            if let value = environment[variable(for: name)], !value.isEmpty {
                injected += ["--\(name)", value]
            }
        }
        for name in booleanFlags where !given.contains(name) {
            if let value = environment[variable(for: name)], ["1", "true", "yes"].contains(value.lowercased()) {
                injected.append("--\(name)")
            }
        }
        return injected + arguments
    }

    /// Go's flag syntax `--raw=true` / `--insecure-skip-tls-verify=false`, which kubeseal
    /// scripts use and swift-argument-parser does not: `=true` becomes the bare flag, `=false`
    /// drops it. Anything after `--` is left alone.
    static func normalizeBooleans(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var passThrough = false
        for argument in arguments {
            if passThrough || argument == "--" {
                passThrough = true
                result.append(argument)
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            guard argument.hasPrefix("--"), parts.count == 2, booleanFlags.contains(String(parts[0].dropFirst(2))) else {
                result.append(argument)
                continue
            }
            switch parts[1].lowercased() {
            case "true", "1", "t": result.append(parts[0])
            case "false", "0", "f": break
            default: result.append(argument)  // the parser reports it
            }
        }
        return result
    }

    static func variable(for name: String) -> String {
        "SEALED_SECRETS_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }
}

