public import Foundation
public import SealKit

/// A key's role, from the value of its Secret's `sealedsecrets.bitnami.com/sealed-secrets-key`
/// label. Bitnami knows only `active`; `retired` and `compromised` let operators wind a key down.
public enum KeyState: String, Sendable, CaseIterable {
    /// Seals when newest; unseals.
    case active
    /// Unseals only; never seals.
    case retired
    /// Used for nothing; objects still sealed to it get a Warning event.
    case compromised
}

/// One key pair the controller holds: the private key (unseals) and its certificate (seals).
public struct SealingKey: Sendable {
    /// Name of the key Secret it was loaded from or stored as.
    public var name: String
    public var privateKey: PrivateKey
    public var certificate: Certificate {
        didSet { fingerprint = certificate.publicKey.fingerprint }
    }
    /// The certificate's public-key fingerprint, computed once: every reconcile compares key
    /// states by fingerprint, and each remembered object holds it (one shared string, not a
    /// fresh one per object).
    public private(set) var fingerprint: String
    /// When the key was made: the key Secret's creation, else the certificate's notBefore.
    public var createdAt: Date
    public var state: KeyState

    public init(name: String, privateKey: PrivateKey, certificate: Certificate, createdAt: Date? = nil, state: KeyState = .active) {
        self.name = name
        self.privateKey = privateKey
        self.certificate = certificate
        fingerprint = certificate.publicKey.fingerprint
        self.createdAt = createdAt ?? certificate.notBefore
        self.state = state
    }
}

/// The controller's keys: the newest seals, all of them unseal (DESIGN 1.5).
public struct KeyRing: Sendable {
    /// Oldest first.
    public private(set) var keys: [SealingKey]

    public init(_ keys: [SealingKey] = []) {
        self.keys = keys.sorted { ($0.createdAt, $0.name) < ($1.createdAt, $1.name) }
    }

    /// The key that seals: the newest active one.
    public var newest: SealingKey? { keys.last { $0.state == .active } }
    public var isEmpty: Bool { keys.isEmpty }

    /// The keys that unseal (active and retired), newest first: recent keys are the likeliest
    /// to have sealed a value.
    public var unsealingKeys: [SealingKey] { keys.reversed().filter { $0.state != .compromised } }
    public var privateKeys: [PrivateKey] { unsealingKeys.map(\.privateKey) }
    public var compromised: [SealingKey] { keys.filter { $0.state == .compromised } }

    /// Fingerprint → state of every key: what a cached unseal result depends on.
    public var states: [String: KeyState] {
        Dictionary(keys.map { ($0.fingerprint, $0.state) }, uniquingKeysWith: { first, _ in first })
    }

    public func unsealer(templates: (any TemplateDataRendering)?) -> Unsealer {
        Unsealer(keys: privateKeys, templates: templates)
    }
}

import Synchronization

/// The key ring shared by the HTTP API and the reconciler; replaced whole when keys change.
public final class KeyStore: Sendable {
    private let ring: Mutex<KeyRing>

    public init(_ ring: KeyRing = KeyRing()) {
        self.ring = Mutex(ring)
    }

    public var current: KeyRing { ring.withLock { $0 } }

    public func replace(with newRing: KeyRing) {
        ring.withLock { $0 = newRing }
    }
}
