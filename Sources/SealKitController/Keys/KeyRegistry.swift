import Dispatch
public import Foundation
public import KubeClient
public import Logging
public import SealKit

/// Loads, generates and renews the controller's keys, stored as Kubernetes Secrets exactly as
/// Bitnami's controller stores them (DESIGN 1.5), so either controller can read the other's.
public final class KeyRegistry: Sendable {
    public struct Settings: Sendable {
        public var namespace: String
        public var prefix: String
        public var keySize: Int
        public var validity: TimeInterval
        public var commonName: String
        /// Added to generated key Secrets (`--privatekey-labels`, `--privatekey-annotations`).
        public var labels: [String: String]
        public var annotations: [String: String]
        /// Which date orders the keys (`--key-order-priority`).
        public var order: ControllerConfiguration.KeyOrder

        public init(namespace: String, prefix: String = KeySecrets.defaultPrefix, keySize: Int = 4096,
                    validity: TimeInterval = 10 * 365 * 24 * 3600, commonName: String = "", labels: [String: String] = [:],
                    annotations: [String: String] = [:], order: ControllerConfiguration.KeyOrder = .certificateNotBefore) {
            self.namespace = namespace
            self.prefix = prefix
            self.keySize = keySize
            self.validity = validity
            self.commonName = commonName
            self.labels = labels
            self.annotations = annotations
            self.order = order
        }
    }

    public let client: KubeClient
    public let settings: Settings
    public let store: KeyStore
    let logger: Logger

    public init(client: KubeClient, settings: Settings, store: KeyStore, logger: Logger) {
        self.client = client
        self.settings = settings
        self.store = store
        self.logger = logger
    }

    /// Every key Secret, whatever its state (the label exists).
    public static let keySelector = KeySecrets.keyLabel

    /// Reads every key Secret (and Bitnami's legacy one named exactly `prefix`). A key that
    /// cannot be read, or has an unknown state, is reported and skipped: one bad Secret must
    /// not stop unsealing.
    @discardableResult
    public func load() async throws(KubeError) -> KeyRing {
        var secrets = try await client.list(.secrets, namespace: settings.namespace,
                                            options: ListOptions(labelSelector: Self.keySelector)).items
        do {
            let legacy = try await client.get(.secrets, namespace: settings.namespace, name: settings.prefix)
            if !secrets.contains(where: { $0.name == legacy.name }) { secrets.append(legacy) }
        } catch let error where error.isNotFound {
            // No legacy key: the usual case.
        }
        let ring = KeyRing(secrets.compactMap { secret in
            do { return try Self.key(from: secret, order: settings.order) } catch {
                logger.error("skipping unreadable key Secret", metadata: ["secret": "\(secret.key)", "error": "\(error)"])
                return nil
            }
        })
        store.replace(with: ring)
        return ring
    }

    /// The key held in one key Secret.
    public static func key(from secret: KubeObject, order: ControllerConfiguration.KeyOrder = .certificateNotBefore)
        throws(ManifestError) -> SealingKey
    {
        let parsed = try Secret(node: secret.node)
        guard let keyPEM = parsed["tls.key"], let certificatePEM = parsed["tls.crt"] else {
            throw ManifestError("key Secret needs tls.key and tls.crt")
        }
        do {
            let privateKey = try PrivateKey(pem: keyPEM)
            let certificate = try Certificate(pem: certificatePEM.copyBytes())
            guard certificate.publicKey == privateKey.publicKey else {
                throw ManifestError("tls.crt does not belong to tls.key")
            }
            // The annotation wins (it is how SealKit marks a retired key that Bitnami must
            // still load); a label value other than `active` is read too.
            let stateText = secret.metadata.annotations[KeySecrets.stateAnnotation]
                ?? secret.metadata.labels[KeySecrets.keyLabel] ?? KeyState.active.rawValue
            guard let state = KeyState(rawValue: stateText) else {
                throw ManifestError("unknown key state \"\(stateText)\" (expected active, retired or compromised)")
            }
            let createdAt = order == .secretCreationTimestamp
                ? secret.metadata.fields["creationTimestamp"]?.scalar.flatMap { LeaderElector.parseMicroTime($0.text) } : nil
            return SealingKey(name: secret.name ?? "", privateKey: privateKey, certificate: certificate, createdAt: createdAt, state: state)
        } catch let error as CryptoError {
            throw ManifestError(error.message)
        } catch let error as ManifestError {
            throw error
        } catch {
            throw ManifestError("\(error)")
        }
    }

    /// Generates a key pair (off the cooperative thread pool: RSA-4096 takes seconds), stores it
    /// as a new key Secret, and makes it the newest key. The key is used only once stored, so a
    /// failed write never leaves a key that exists nowhere else.
    @discardableResult
    public func generate(now: Date = Date()) async throws -> SealingKey {
        let settings = self.settings
        let (privateKey, certificate) = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result {
                    let key = try PrivateKey.generateRSA(bits: settings.keySize)
                    let certificate = try Certificate.selfSigned(for: key, commonName: settings.commonName,
                                                                 validity: settings.validity, notBefore: now)
                    return (key, certificate)
                })
            }
        }
        let secret = KeySecrets.secret(for: privateKey, certificate: certificate, namespace: settings.namespace,
                                       generateNamePrefix: settings.prefix, labels: settings.labels, annotations: settings.annotations)
        let created = try await client.create(.secrets, namespace: settings.namespace, KubeObject(secret.node()))
        let key = SealingKey(name: created.name ?? "", privateKey: privateKey, certificate: certificate)
        var keys = store.current.keys
        keys.append(key)
        store.replace(with: KeyRing(keys))
        logger.info("new sealing key stored", metadata: ["secret": "\(key.name)", "fingerprint": "\(key.fingerprint)"])
        return key
    }

    /// When the newest key is due for renewal: `period` after it was made; now when there is
    /// no active key; nil when renewal is off (period 0).
    public func renewalDue(period: TimeInterval) -> Date? {
        guard let newest = store.current.newest else { return Date.distantPast }  // no active key: make one
        guard period > 0 else { return nil }
        return newest.createdAt.addingTimeInterval(period)
    }

    /// Whether `--key-cutoff-time` asks for a new key: the newest predates it. Checked once,
    /// when a replica starts leading, as Bitnami does — checked on every turn of the renewal
    /// loop, a cutoff in the future would ask for a new key every time round.
    public func predates(cutoff: Date?) -> Bool {
        guard let cutoff, let newest = store.current.newest else { return false }
        return newest.createdAt < cutoff
    }
}
