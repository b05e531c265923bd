/// Re-seals every SealedSecret item in one file to a target certificate, editing only the
/// ciphertext scalars in place (comments, order, quoting, other documents stay byte for byte).
/// The plaintext exists only in memory, between decrypting with an old key and encrypting
/// to the new one.
public struct FileResealer: Sendable {
    /// What happened to one item.
    public struct ItemOutcome: Sendable, Equatable {
        public enum Result: Sendable, Equatable {
            case resealed
            /// Already sealed to the target key (or filtered out by `--only-keys`).
            case skipped(reason: String)
            case failed(reason: String)
        }

        public var document: Int
        public var object: String
        public var item: String
        public var result: Result
    }

    public struct FileOutcome: Sendable {
        /// The new file content, or nil when nothing changed.
        public var rewritten: [UInt8]?
        public var sealedSecrets: Int
        public var items: [ItemOutcome]
        /// A problem with the whole file (unreadable YAML).
        public var fileError: String?

        public init(rewritten: [UInt8]?, sealedSecrets: Int, items: [ItemOutcome], fileError: String?) {
            self.rewritten = rewritten
            self.sealedSecrets = sealedSecrets
            self.items = items
            self.fileError = fileError
        }
    }

    /// Where new ciphertexts come from.
    public enum Strategy: Sendable {
        /// Decrypt with `oldKeys`, encrypt to `target`. Items that `target`'s own private key
        /// opens are left alone; with `onlyKeys`, only items sealed to those fingerprints change.
        case offline(oldKeys: [PrivateKey], target: PublicKey, onlyKeys: Set<String>?)
        /// A controller re-seals the whole object (`/v1/rotate`); every item takes its answer.
        case online(@Sendable (SealedSecret) async throws -> SealedSecret)
    }

    public let strategy: Strategy

    public init(strategy: Strategy) {
        self.strategy = strategy
    }

    public func reseal(_ bytes: [UInt8]) async -> FileOutcome {
        let documents: [YAMLReader.Document]
        let locations: [ScalarLocator.Location]
        do {
            documents = try YAMLReader.manifests(bytes)
            locations = try ScalarLocator.entries(under: ["spec", "encryptedData"], in: bytes)
        } catch {
            return FileOutcome(rewritten: nil, sealedSecrets: 0, items: [], fileError: error.description)
        }
        var edits: [ByteSpliceEditor.Edit] = []
        var outcomes: [ItemOutcome] = []
        var count = 0
        for document in documents {
            guard let object = document.root.mapping, object["kind"]?.scalar?.text == SealedSecret.kind,
                  object["apiVersion"]?.scalar?.text == SealedSecret.apiVersion
            else { continue }
            count += 1
            let spans = locations.filter { $0.document == document.index }
            let name = object["metadata"]?.mapping?["name"]?.scalar?.text ?? "?"
            let results = await newCiphertexts(document: document)
            for span in spans {
                let key = span.path.last ?? ""
                let result = results[key] ?? .failure(reason: "not found in the parsed document")
                switch result {
                case .replace(let ciphertext):
                    edits.append(.init(range: span.range, replacement: ByteSpliceEditor.scalarReplacement(
                        ciphertext, style: span.style, original: bytes[span.range])))
                    outcomes.append(ItemOutcome(document: document.index, object: name, item: key, result: .resealed))
                case .skip(let reason):
                    outcomes.append(ItemOutcome(document: document.index, object: name, item: key, result: .skipped(reason: reason)))
                case .failure(let reason):
                    outcomes.append(ItemOutcome(document: document.index, object: name, item: key, result: .failed(reason: reason)))
                }
            }
        }
        return FileOutcome(rewritten: edits.isEmpty ? nil : ByteSpliceEditor.apply(edits, to: bytes), sealedSecrets: count,
                           items: outcomes, fileError: nil)
    }

    private enum ItemResult {
        case replace(String)
        case skip(String)
        case failure(reason: String)
    }

    /// New ciphertexts by item key, for one SealedSecret document.
    private func newCiphertexts(document: YAMLReader.Document) async -> [String: ItemResult] {
        let sealed: SealedSecret
        do { sealed = try SealedSecret(node: document.root) } catch {
            // The object itself is malformed: every item it names fails with the reason.
            let keys = document.root.mapping?["spec"]?.mapping?["encryptedData"]?.mapping?.keys ?? []
            return Dictionary(uniqueKeysWithValues: keys.map { ($0, ItemResult.failure(reason: error.description)) })
        }
        switch strategy {
        case .offline(let oldKeys, let target, let onlyKeys):
            return offline(sealed, oldKeys: oldKeys, target: target, onlyKeys: onlyKeys)
        case .online(let rotate):
            do {
                let rotated = try await rotate(sealed)
                var results: [String: ItemResult] = [:]
                for item in sealed.encryptedData {
                    if let ciphertext = rotated[item.key] {
                        results[item.key] = .replace(ciphertext)
                    } else {
                        results[item.key] = .failure(reason: "the controller's answer lacks this item")
                    }
                }
                return results
            } catch {
                return Dictionary(uniqueKeysWithValues: sealed.encryptedData.map { ($0.key, ItemResult.failure(reason: "\(error)")) })
            }
        }
    }

    private func offline(_ sealed: SealedSecret, oldKeys: [PrivateKey], target: PublicKey, onlyKeys: Set<String>?) -> [String: ItemResult] {
        let everyItem = { (reason: String) in
            Dictionary(uniqueKeysWithValues: sealed.encryptedData.map { ($0.key, ItemResult.failure(reason: reason)) })
        }
        guard let name = sealed.metadata.name else { return everyItem("the SealedSecret has no metadata.name") }
        let scope = sealed.scope
        guard scope == .clusterWide || sealed.metadata.namespace != nil else {
            return everyItem("\(scope) scope needs metadata.namespace, which this SealedSecret lacks")
        }
        let label = scope.label(namespace: sealed.metadata.namespace ?? "", name: name)
        let targetFingerprint = target.fingerprint
        // Try the target's own key first: after a rotation most items open with it, and each
        // failed attempt costs an RSA private operation.
        let oldKeys = oldKeys.filter { $0.publicKey.fingerprint == targetFingerprint }
            + oldKeys.filter { $0.publicKey.fingerprint != targetFingerprint }
        let fingerprints = oldKeys.map(\.publicKey.fingerprint)
        var results: [String: ItemResult] = [:]
        // The key that opened the previous value is tried first (values of one object are
        // almost always sealed to one key); every key is still tried before giving up.
        var lastKey: [Int] = []
        var attempts = 0
        for item in sealed.encryptedData {
            let bytes: [UInt8]
            do { bytes = try Base64.decode(item.ciphertext) } catch {
                results[item.key] = .failure(reason: "invalid base64: \(error)")
                continue
            }
            do {
                let (plaintext, index) = try HybridCipher.open(bytes, with: oldKeys, label: label, tryingFirst: lastKey, attempts: &attempts)
                lastKey = [index]
                let sealedTo = fingerprints[index]
                if sealedTo == targetFingerprint {
                    results[item.key] = .skip("already sealed to the target key")
                } else if let onlyKeys, !onlyKeys.contains(sealedTo) {
                    results[item.key] = .skip("sealed to \(sealedTo), not in --only-keys")
                } else {
                    results[item.key] = .replace(Base64.encode(try HybridCipher.seal(plaintext, to: target, label: label)))
                }
            } catch {
                results[item.key] = .failure(reason: error.message)
            }
        }
        return results
    }
}
