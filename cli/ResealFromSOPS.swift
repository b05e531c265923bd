import Foundation
import SealKit
import SealKitSOPS

/// `sealkit reseal --from-sops`: every SOPS-encrypted Secret in a tree becomes a SealedSecret
/// — beside it (`db.enc.yaml` → `db.sealed.yaml`) or, with `--replace`, in its place. The
/// plaintext exists only in memory between decryption and sealing. Files that are not
/// SOPS-encrypted are not touched; a SOPS file that holds anything but Secrets is skipped.
struct ResealFromSOPS {
    let context: CommandContext
    let replace: Bool
    let dryRun: Bool

    struct Outcome {
        var scanned = 0
        var converted = 0
        var secrets = 0
        var skipped: [String] = []
        var failed: [String] = []
    }

    /// The SealedSecret file written beside `path`: `.enc`/`.sops` dropped, `.sealed` added.
    static func sealedPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension
        var base = url.deletingPathExtension().lastPathComponent
        for marker in [".enc", ".sops", ".encrypted"] where base.hasSuffix(marker) {
            base = String(base.dropLast(marker.count))
        }
        let name = base + ".sealed" + (ext.isEmpty ? "" : "." + ext)
        let directory = (path as NSString).deletingLastPathComponent
        return directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name)
    }

    func run(_ files: [String]) async throws(CLIFailure) -> Outcome {
        var outcome = Outcome()
        var candidates: [(path: String, input: InputFile)] = []
        for path in files {
            outcome.scanned += 1
            let input = try InputFile.read(path)
            if SOPSFile.encryptedFormat(of: input.bytes) != nil { candidates.append((path, input)) }
        }
        guard !candidates.isEmpty else { return outcome }
        let sealer = Sealer(publicKey: try await context.certificate().publicKey)
        for (path, input) in candidates {
            do throws(CLIFailure) {
                guard let secrets = try convert(input, sealer: sealer) else {
                    outcome.skipped.append("\(path): not only Secrets; left as it is")
                    continue
                }
                let target = replace ? path : Self.sealedPath(for: path)
                if !replace, FileManager.default.fileExists(atPath: target) {
                    // Overwrite only what an earlier run wrote: a file of SealedSecrets.
                    let existing = try InputFile.read(target).documents()
                    guard !existing.isEmpty, existing.allSatisfy({ $0.root.mapping?["kind"]?.scalar?.text == "SealedSecret" }) else {
                        throw CLIFailure("\(target) exists and is not a SealedSecret file; move it away or use --replace")
                    }
                }
                let format: OutputFormat = SOPSFile.encryptedFormat(of: input.bytes) == .json ? .json : .yaml
                let rendered = try format.render(secrets)
                if !dryRun {
                    do { try AtomicFile.write(rendered, to: target, permissions: 0o644) } catch { throw CLIFailure(error.description) }
                }
                outcome.converted += 1
                outcome.secrets += secrets.count
                Console.err("\(dryRun ? "would seal" : "sealed") \(secrets.count) Secret(s) from \(path) into \(target)\n")
            } catch {
                outcome.failed.append(error.message)
            }
        }
        return outcome
    }

    /// The SealedSecrets for a SOPS file of Secrets; nil when it holds other kinds.
    private func convert(_ input: InputFile, sealer: Sealer) throws(CLIFailure) -> [Node]? {
        guard let documents = try SOPSInput.documents(input) else { return nil }
        guard !documents.isEmpty, documents.allSatisfy({ $0.root.mapping?["kind"]?.scalar?.text == "Secret" }) else { return nil }
        let defaultNamespace = try context.defaultNamespace()
        var sealed: [Node] = []
        for document in documents {
            do {
                var secret = try Secret(node: document.root)
                if secret.metadata.namespace == nil, SealingScope(annotations: secret.metadata.annotations) != .clusterWide {
                    secret.metadata.namespace = defaultNamespace
                }
                let result = try sealer.seal(secret, scope: nil, allowEmptyData: false, parallel: true)
                sealed.append(result.node())
            } catch {
                throw CLIFailure(source: input.source, error.inDocument(document.index))
            }
        }
        return sealed
    }
}
