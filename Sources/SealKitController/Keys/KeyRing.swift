public import Foundation
public import SealKit

/// One key pair the controller holds: the private key (unseals) and its certificate (seals).
public struct SealingKey: Sendable {
    /// Name of the key Secret it was loaded from or stored as.
    public var name: String
    public var privateKey: PrivateKey
    public var certificate: Certificate
    /// When the key was made: the key Secret's creation, else the certificate's notBefore.
    public var createdAt: Date

    public init(name: String, privateKey: PrivateKey, certificate: Certificate, createdAt: Date? = nil) {
        self.name = name
        self.privateKey = privateKey
        self.certificate = certificate
        self.createdAt = createdAt ?? certificate.notBefore
    }

    public var fingerprint: String { certificate.publicKey.fingerprint }
}

/// The controller's keys: the newest seals, all of them unseal (DESIGN 1.5).
public struct KeyRing: Sendable {
    /// Oldest first.
    public private(set) var keys: [SealingKey]

    public init(_ keys: [SealingKey] = []) {
        self.keys = keys.sorted { ($0.createdAt, $0.name) < ($1.createdAt, $1.name) }
    }

    public var newest: SealingKey? { keys.last }
    public var isEmpty: Bool { keys.isEmpty }

    /// Every private key, newest first: recent keys are the likeliest to have sealed a value.
    public var privateKeys: [PrivateKey] { keys.reversed().map(\.privateKey) }

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
