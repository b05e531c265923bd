import ArgumentParser
import Foundation
import SealKit
import SealKitSOPS

/// `sealkit sops …`: read (and write) files in the format of the real `sops`, with age keys.
struct SOPSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sops",
        abstract: "Encrypt and decrypt SOPS files with age keys (compatible with sops ≥ 3.8).",
        discussion: """
            Formats follow the file extension as in sops: .yaml/.yml, .json, .env, .ini, \
            anything else binary. Age identities are found as sops finds them: SOPS_AGE_KEY, \
            SOPS_AGE_KEY_FILE, and $XDG_CONFIG_HOME/sops/age/keys.txt (default \
            ~/.config/sops/age/keys.txt).
            """,
        subcommands: [SOPSDecryptCommand.self, SOPSEncryptCommand.self, SOPSRotateCommand.self, SOPSUpdateKeysCommand.self]
    )
}

/// Shared helpers of the sops subcommands.
enum SOPSCLI {
    /// The identities sops would use, from this process's environment.
    static func identities() throws(CLIFailure) -> SOPSAgeIdentities.Found {
        do {
            return try SOPSAgeIdentities.load(environment: ProcessInfo.processInfo.environment) { (path) throws(SOPSError) -> [UInt8]? in
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
                guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
                    throw SOPSError(.invalidArgument, "\(path): cannot read the age identity file")
                }
                return [UInt8](data)
            }
        } catch {
            throw CLIFailure(error.message)
        }
    }

    /// The time SOPS records as `lastmodified`: now, UTC, whole seconds.
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter.string(from: Date())
    }

    static func format(_ name: String?, flag: String, path: String) throws(CLIFailure) -> SOPSFormat {
        guard let name else { return SOPSFormat.from(path: path) }
        guard let format = SOPSFormat(typeName: name) else {
            throw CLIFailure("\(flag) \(name): expected yaml, json, dotenv, ini or binary")
        }
        return format
    }
}
