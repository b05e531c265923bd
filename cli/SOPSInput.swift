import Foundation
import SealKit
import SealKitSOPS

/// SOPS-encrypted Secrets as input to sealing: recognised by their `sops` metadata, decrypted
/// in memory with the age identities sops would use, and handed on as documents. The
/// plaintext is never written anywhere; the buffer holding the decrypted text is wiped.
enum SOPSInput {
    /// The decrypted documents when `input` is a SOPS-encrypted YAML or JSON file; nil when
    /// it is not SOPS-encrypted.
    static func documents(_ input: InputFile) throws(CLIFailure) -> [YAMLReader.Document]? {
        guard let format = SOPSFile.encryptedFormat(of: input.bytes) else { return nil }
        let found = try SOPSCLI.identities()
        var plain: [UInt8]
        do throws(SOPSError) {
            let file = try SOPSFile(input.bytes, format: format, source: input.source)
            plain = try file.decrypt(with: found.identities, identitySources: found.sources).emit(as: .yaml).copyBytes()
        } catch {
            throw CLIFailure(error.message)
        }
        defer { plain.withUnsafeMutableBytes { SecureWipe.wipe($0) } }
        do { return try YAMLReader.manifests(plain) } catch { throw CLIFailure(source: input.source, error) }
    }
}
