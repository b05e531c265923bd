/// Finds age identities where `sops` looks for them (age/keysource.go): the `SOPS_AGE_KEY`
/// variable (keys separated by whitespace or lines), the file named by `SOPS_AGE_KEY_FILE`,
/// and the default `keys.txt` under `$XDG_CONFIG_HOME/sops/age/` (else `~/.config/sops/age/`),
/// all of them together. `SOPS_AGE_KEY_CMD` and SSH keys are not supported.
public enum SOPSAgeIdentities {
    /// What was found, and a description of where it looked (for "no identity" errors).
    public struct Found: Sendable {
        public var identities: [AgeIdentity]
        public var sources: String
    }

    /// - Parameter readFile: returns a file's bytes, nil when it does not exist; throws a
    ///   message when it exists but cannot be read.
    public static func load(environment: [String: String],
                            readFile: (String) throws(SOPSError) -> [UInt8]?) throws(SOPSError) -> Found {
        var identities: [AgeIdentity] = []
        var looked: [String] = []
        // As sops: a source that fails is reported only if no source yields an identity.
        var problems: [String] = []
        if let text = environment["SOPS_AGE_KEY"] {
            looked.append("SOPS_AGE_KEY")
            do { identities += try AgeIdentityFile.parse(Array(text.utf8), source: "SOPS_AGE_KEY", wordsPerLine: true) } catch {
                problems.append(error.message)
            }
        }
        if let path = environment["SOPS_AGE_KEY_FILE"] {
            looked.append("SOPS_AGE_KEY_FILE=\(path)")
            do {
                if let bytes = try readFile(path) {
                    do { identities += try AgeIdentityFile.parse(bytes, source: path) } catch { problems.append(error.message) }
                } else {
                    problems.append("SOPS_AGE_KEY_FILE: \(path): no such file")
                }
            } catch {
                problems.append(error.message)
            }
        }
        if let path = defaultKeysPath(environment) {
            looked.append(path)
            do {
                if let bytes = try readFile(path) {
                    do { identities += try AgeIdentityFile.parse(bytes, source: path) } catch { problems.append(error.message) }
                }
            } catch {
                problems.append(error.message)
            }
        }
        if identities.isEmpty, let first = problems.first {
            throw SOPSError(.invalidArgument, first)
        }
        return Found(identities: identities, sources: looked.isEmpty ? "no SOPS_AGE_KEY, SOPS_AGE_KEY_FILE or HOME" : "looked in " + looked.joined(separator: ", "))
    }

    /// Go's `os.UserConfigDir()` on Linux plus SOPS's `sops/age/keys.txt`.
    static func defaultKeysPath(_ environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/sops/age/keys.txt" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/sops/age/keys.txt" }
        return nil
    }
}
