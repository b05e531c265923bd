import Foundation

/// `.sealkit.yaml` at a repository's root: which cluster and scope each path of a GitOps
/// repository is sealed for, which files may only hold SealedSecrets, and which `guard`
/// findings are accepted (with a reason). One file answers "sealed for whom?" for every person
/// and CI job that touches the repository, instead of flags each of them must remember.
///
/// ```yaml
/// version: 1
/// clusters:
///   - name: prod
///     certificate: certs/prod.crt           # or url: https://…/v1/cert.pem, or controller: {context: prod}
///     fingerprint: SHA256:…                 # as `sealkit keys inspect` prints it; a list is allowed during rotation
///     keyBits: 4096                         # optional; needed by lint only when the certificate is fetched
/// rules:                                    # first match wins
///   - path: overlays/prod/**
///     clusters: [prod]
///     scope: strict                         # default
/// requireSealed: ["overlays/*/secrets/**"]  # files there may hold SealedSecrets only
/// allow:                                    # accepted guard findings
///   - path: docs/examples/**
///     rules: [plaintext-secret]
///     reason: dummy values used by the tutorial
/// ```
///
/// Unknown keys are errors: a misspelt `requireSealed` must not quietly turn a check off.
public struct RepositoryPolicy: Sendable {
    /// The policy file's name, at the repository root.
    public static let fileName = ".sealkit.yaml"
    /// The `version:` this SealKit reads; a later format is refused rather than half-understood.
    public static let supportedVersion = 1

    /// Where a cluster's sealing certificate comes from.
    public enum CertificateLocation: Sendable, Equatable {
        /// A PEM file, relative to the repository root (public certificates may live in git).
        case file(String)
        /// An http(s) or file:// URL, fetched when sealing.
        case url(String)
        /// The controller, through the API server of a kubeconfig context (as `--fetch-cert`).
        case controller(context: String?, name: String?, namespace: String?)
    }

    /// A cluster SealedSecrets are sealed for: where its certificate comes from, and the
    /// fingerprints that certificate must have.
    public struct Cluster: Sendable {
        /// The name rules refer to (and `--policy-cluster` takes).
        public var name: String
        /// Where the sealing certificate comes from.
        public var certificate: CertificateLocation
        /// Accepted public-key fingerprints (`SHA256:…`); a certificate with any other is refused.
        public var fingerprints: [String]
        /// Declared RSA key size, for offline checks when the certificate is not a file.
        public var keyBits: Int?
        /// Line of the entry in the policy file.
        public var line: Int
    }

    /// Which cluster(s) and scope the files matching a pattern are sealed for.
    public struct Rule: Sendable {
        /// 1-based position among the rules, for messages ("rule 2").
        public var number: Int
        /// The files the rule governs.
        public var path: PathGlob
        /// Names of the clusters objects under `path` are deployed to.
        public var clusters: [String]
        /// The scope objects under `path` are sealed with.
        public var scope: SealingScope
        /// The directory `--all-clusters` writes into, when set explicitly.
        public var overlay: String?
        /// Line of the entry in the policy file.
        public var line: Int

        /// Where `--all-clusters` writes for this rule: `overlay`, else the pattern's literal
        /// directory (`overlays/prod/**` → `overlays/prod`), else nowhere.
        public var overlayDirectory: String? { overlay ?? path.literalDirectory }
    }

    /// An accepted `guard` finding: where, which rules (all when empty), and why.
    struct Allowance: Sendable {
        var path: PathGlob
        var rules: [String]
        var reason: String
        var line: Int

        func covers(path relativePath: String, rule: String) -> Bool {
            path.matches(relativePath) && (rules.isEmpty || rules.contains(rule))
        }
    }

    /// The directory holding the policy file: every path in it is relative to this.
    public var root: String
    /// The clusters, in file order.
    public var clusters: [Cluster]
    /// The rules, in file order (the first match wins).
    public var rules: [Rule]
    /// Patterns of files that may hold only SealedSecrets.
    var requireSealed: [PathGlob]
    /// The guard's allow-list.
    var allow: [Allowance]

    /// Reads the policy at `path`; its directory becomes the root.
    /// - Throws: `PolicyError` (unreadable file, YAML syntax, schema), with the line.
    public static func load(path: String) throws(PolicyError) -> RepositoryPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError("cannot read \(path)")
        }
        let root = (Self.absolute(path) as NSString).deletingLastPathComponent
        return try RepositoryPolicy(bytes: Array(data), root: root)
    }

    /// The nearest `.sealkit.yaml` in `directory` or above it, up to the repository root (a
    /// directory holding `.git`) or the file system root.
    public static func discover(from directory: String) -> String? {
        var current = absolute(directory)
        while true {
            let candidate = (current as NSString).appendingPathComponent(fileName)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            if FileManager.default.fileExists(atPath: (current as NSString).appendingPathComponent(".git")) { return nil }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }

    /// Parses policy text; `root` is the directory paths are relative to.
    public init(bytes: [UInt8], root: String) throws(PolicyError) {
        self.root = root
        let documents: [YAMLReader.Document]
        let map: SourceMap
        do {
            documents = try YAMLReader.documents(bytes)
            map = try SourceMap(bytes)
        } catch {
            throw PolicyError(error.message, line: error.line)
        }
        guard documents.count <= 1 else { throw PolicyError("expected one YAML document, found \(documents.count)") }
        let reader = PolicyReader(map: map, document: documents.first?.index ?? 1)
        guard let top = documents.first?.root.mapping else {
            throw PolicyError("expected a mapping with clusters and rules", line: 1)
        }
        try reader.checkKeys(top, allowed: ["version", "clusters", "rules", "requireSealed", "allow"], at: [])
        if let version = top["version"] {
            guard version.scalar?.text == String(Self.supportedVersion) else {
                throw PolicyError("version: only \(Self.supportedVersion) is supported", line: reader.line([.key("version")]))
            }
        }

        clusters = []
        for (index, node) in try reader.list(top["clusters"], at: [.key("clusters")]).enumerated() {
            clusters.append(try reader.cluster(node, at: [.key("clusters"), .index(index)]))
        }
        var names = Set<String>()
        for cluster in clusters where !names.insert(cluster.name).inserted {
            throw PolicyError("clusters: \"\(cluster.name)\" is defined twice", line: cluster.line)
        }

        rules = []
        for (index, node) in try reader.list(top["rules"], at: [.key("rules")]).enumerated() {
            let rule = try reader.rule(node, number: index + 1, at: [.key("rules"), .index(index)])
            for name in rule.clusters where !names.contains(name) {
                throw PolicyError("rules[\(index)]: cluster \"\(name)\" is not defined under clusters", line: rule.line)
            }
            rules.append(rule)
        }

        requireSealed = []
        for (index, node) in try reader.list(top["requireSealed"], at: [.key("requireSealed")]).enumerated() {
            let at: [SourceMap.PathComponent] = [.key("requireSealed"), .index(index)]
            requireSealed.append(try reader.glob(node, field: "requireSealed[\(index)]", at: at))
        }

        allow = []
        for (index, node) in try reader.list(top["allow"], at: [.key("allow")]).enumerated() {
            allow.append(try reader.allowance(node, at: [.key("allow"), .index(index)]))
        }
    }

    /// The cluster called `name`.
    public func cluster(named name: String) -> Cluster? {
        clusters.first { $0.name == name }
    }

    /// The first rule whose pattern matches `relativePath`.
    public func rule(for relativePath: String) -> Rule? {
        rules.first { $0.path.matches(relativePath) }
    }

    /// Whether `relativePath` may hold only SealedSecrets.
    func requiresSealed(_ relativePath: String) -> Bool {
        requireSealed.contains { $0.matches(relativePath) }
    }

    /// The allow-list entry accepting `rule` at `relativePath`, if any.
    func allowance(path relativePath: String, rule: String) -> Allowance? {
        allow.first { $0.covers(path: relativePath, rule: rule) }
    }

    /// `path` (absolute, or relative to the current directory) relative to the root, or nil
    /// when it lies outside the repository.
    public func relativePath(_ path: String) -> String? {
        let full = Self.absolute(path)
        let base = Self.absolute(root)
        if full == base { return "" }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard full.hasPrefix(prefix) else { return nil }
        return String(full.dropFirst(prefix.count))
    }

    /// The absolute path of a path relative to the root.
    public func absolutePath(_ relativePath: String) -> String {
        (root as NSString).appendingPathComponent(relativePath)
    }

    /// An absolute, normalised path whose existing directories have their symbolic links
    /// resolved, so `root` and a file below it compare by prefix even through `/tmp` links.
    static func absolute(_ path: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        let joined = path.hasPrefix("/") ? path : (current as NSString).appendingPathComponent(path)
        let standard = URL(fileURLWithPath: joined).standardizedFileURL.path
        // Resolve links in the longest existing prefix (the file itself may not exist yet).
        var head = standard
        var tail: [String] = []
        while !FileManager.default.fileExists(atPath: head), head != "/" {
            tail.insert((head as NSString).lastPathComponent, at: 0)
            head = (head as NSString).deletingLastPathComponent
        }
        let resolved = URL(fileURLWithPath: head).resolvingSymlinksInPath().path
        return tail.reduce(resolved) { ($0 as NSString).appendingPathComponent($1) }
    }
}
