/// Reads private keys from what users keep as backups (DESIGN 1.7): a PEM key file, a key
/// Secret (`kubectl get secret -o yaml`), or a `List` of key Secrets. Also builds the key
/// Secret the controller stores (DESIGN 1.5), so both halves agree on one format.
public enum KeySecrets {
    public static let keyLabel = "sealedsecrets.bitnami.com/sealed-secrets-key"
    public static let defaultPrefix = "sealed-secrets-key"
    /// Where SealKit keeps a key's state (`active`, `retired`, `compromised`). Bitnami loads
    /// only keys labelled `active`, so a retired key keeps that label — switching back to
    /// Bitnami then loses no key — and carries its state here. A compromised key may drop the
    /// label on purpose, so that no controller uses it.
    public static let stateAnnotation = "sealkit.io/key-state"

    /// All private keys in `bytes`.
    /// - Throws: `ManifestError` naming the document (and why) when something is not a key.
    public static func privateKeys(from bytes: [UInt8]) throws(ManifestError) -> [PrivateKey] {
        if isPEM(bytes) {
            do { return [try PrivateKey(pem: bytes)] } catch {
                throw ManifestError("not a usable private key: \(error.message)")
            }
        }
        let documents: [YAMLReader.Document]
        do { documents = try YAMLReader.manifests(bytes) } catch {
            throw ManifestError("neither a PEM private key nor a key Secret (\(error))")
        }
        guard !documents.isEmpty else { throw ManifestError("no private key found (the file is empty)") }
        var keys: [PrivateKey] = []
        for document in documents {
            do {
                keys += try privateKeys(fromObject: document.root)
            } catch {
                throw error.inDocument(document.index)
            }
        }
        return keys
    }

    private static func privateKeys(fromObject node: Node) throws(ManifestError) -> [PrivateKey] {
        let kind = node.mapping?["kind"]?.scalar?.text
        if kind == "List" || kind == "SecretList" {
            guard let items = node.mapping?["items"]?.sequence else { return [] }
            var keys: [PrivateKey] = []
            for (index, item) in items.enumerated() {
                do { keys += try privateKeys(fromObject: item) } catch {
                    throw ManifestError("items[\(index)]: \(error.message)", item: error.item)
                }
            }
            return keys
        }
        let secret = try Secret(node: node)
        guard let pem = secret["tls.key"] else {
            throw ManifestError("Secret \(secret.metadata.name ?? "") has no tls.key", item: "tls.key")
        }
        do {
            return [try PrivateKey(pem: pem)]
        } catch {
            throw ManifestError("not a usable private key: \(error.message)", item: "tls.key")
        }
    }

    /// PEM files start with their armour line (after optional blank lines); a key Secret that
    /// embeds PEM in `stringData` starts with YAML instead.
    private static func isPEM(_ bytes: [UInt8]) -> Bool {
        let content = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        return content.starts(with: Array("-----BEGIN ".utf8))
    }

    /// The key Secret as Bitnami's controller writes it: type `kubernetes.io/tls`, PKCS#1 key,
    /// `generateName` the prefix itself (names like `sealed-secrets-keyx7k2q`), labelled active,
    /// plus the operator's extra labels and annotations (`--privatekey-labels`, ...).
    public static func secret(for key: PrivateKey, certificate: Certificate, namespace: String?, name: String? = nil,
                              generateNamePrefix: String = defaultPrefix, labels: [String: String] = [:],
                              annotations: [String: String] = [:]) -> Secret {
        var metadata = ObjectMetadata(name: name, namespace: namespace)
        if name == nil { metadata.fields["generateName"] = .string(generateNamePrefix) }
        metadata.labels = labels.merging([keyLabel: "active"]) { $1 }
        metadata.annotations = annotations
        return Secret(metadata: metadata, type: "kubernetes.io/tls", items: [
            .init(key: "tls.crt", value: SecretBytes(utf8: certificate.pem())),
            .init(key: "tls.key", value: key.pkcs1PEM()),
        ])
    }
}

/// A key as found in a file or the cluster: its private half, its certificate, or both.
public struct KeyMaterial: Sendable {
    /// Where it came from: a key Secret's name or the file name.
    public var name: String
    public var privateKey: PrivateKey?
    public var certificate: Certificate?

    public var publicKey: PublicKey? { certificate?.publicKey ?? privateKey?.publicKey }
    public var fingerprint: String? { publicKey?.fingerprint }
}

extension KeySecrets {
    /// Every key in `bytes`: PEM certificates and private keys, key Secrets, Lists of them.
    /// - Throws: `ManifestError` when nothing in the file is a key or certificate.
    public static func material(from bytes: [UInt8], source: String) throws(ManifestError) -> [KeyMaterial] {
        if isPEM(bytes) {
            let privateKey = try? PrivateKey(pem: bytes)
            let certificate = try? Certificate(pem: bytes)
            guard privateKey != nil || certificate != nil else {
                throw ManifestError("neither a PEM private key nor a PEM certificate")
            }
            return [KeyMaterial(name: source, privateKey: privateKey, certificate: certificate)]
        }
        let documents: [YAMLReader.Document]
        do { documents = try YAMLReader.manifests(bytes) } catch {
            throw ManifestError("neither PEM nor a key Secret (\(error))")
        }
        var result: [KeyMaterial] = []
        for document in documents {
            let items: [Node]
            if let kind = document.root.mapping?["kind"]?.scalar?.text, kind == "List" || kind == "SecretList" {
                items = document.root.mapping?["items"]?.sequence ?? []
            } else {
                items = [document.root]
            }
            for item in items {
                let secret: Secret
                do { secret = try Secret(node: item) } catch { throw error.inDocument(document.index) }
                let name = secret.metadata.name ?? source
                let privateKey = secret["tls.key"].flatMap { pem in
                    try? PrivateKey(pem: pem)
                }
                let certificate = secret["tls.crt"].flatMap { try? Certificate(pem: $0.copyBytes()) }
                guard privateKey != nil || certificate != nil else {
                    throw ManifestError("Secret \(name) holds no readable tls.key or tls.crt", document: document.index)
                }
                result.append(KeyMaterial(name: name, privateKey: privateKey, certificate: certificate))
            }
        }
        return result
    }
}
