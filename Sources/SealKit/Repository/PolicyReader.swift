import Foundation

/// Turns the nodes of `.sealkit.yaml` into a ``RepositoryPolicy``, naming the field and line
/// of anything wrong. Kept apart from the model so the model reads as the schema.
struct PolicyReader {
    let map: SourceMap
    let document: Int

    func line(_ path: [SourceMap.PathComponent]) -> Int? {
        map.nearest(document: document, path: path)?.line
    }

    private func field(_ path: [SourceMap.PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    func failure(_ message: String, at path: [SourceMap.PathComponent]) -> PolicyError {
        PolicyError(path.isEmpty ? message : "\(field(path)): \(message)", line: line(path))
    }

    func checkKeys(_ mapping: Mapping, allowed: Set<String>, at path: [SourceMap.PathComponent]) throws(PolicyError) {
        for key in mapping.keys where !allowed.contains(key) {
            let known = allowed.sorted().joined(separator: ", ")
            throw failure("unknown key \"\(key)\" (known: \(known))", at: path + [.key(key)])
        }
    }

    func list(_ node: Node?, at path: [SourceMap.PathComponent]) throws(PolicyError) -> [Node] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else { throw failure("expected a list, found \(node.kindDescription)", at: path) }
        return items
    }

    func mapping(_ node: Node, at path: [SourceMap.PathComponent]) throws(PolicyError) -> Mapping {
        guard let mapping = node.mapping else { throw failure("expected a mapping, found \(node.kindDescription)", at: path) }
        return mapping
    }

    func string(_ node: Node?, at path: [SourceMap.PathComponent], required: Bool) throws(PolicyError) -> String? {
        guard let node, !node.isNull else {
            if required { throw failure("is required", at: path) }
            return nil
        }
        guard let scalar = node.scalar, scalar.kind == .string || scalar.kind == .int || scalar.kind == .float else {
            throw failure("expected a string, found \(node.kindDescription)", at: path)
        }
        guard !scalar.text.isEmpty else {
            if required { throw failure("must not be empty", at: path) }
            return nil
        }
        return scalar.text
    }

    /// A string or a list of strings (`clusters: prod` and `clusters: [prod, dr]` both work).
    func strings(_ node: Node?, at path: [SourceMap.PathComponent]) throws(PolicyError) -> [String] {
        guard let node, !node.isNull else { return [] }
        if node.scalar != nil { return [try string(node, at: path, required: true)!] }
        var result: [String] = []
        for (index, item) in try list(node, at: path).enumerated() {
            result.append(try string(item, at: path + [.index(index)], required: true)!)
        }
        return result
    }

    func glob(_ node: Node?, field: String, at path: [SourceMap.PathComponent]) throws(PolicyError) -> PathGlob {
        let text = try string(node, at: path, required: true)!
        do { return try PathGlob(text) } catch {
            throw PolicyError("\(field): \(error.message)", line: line(path))
        }
    }

    func cluster(_ node: Node, at path: [SourceMap.PathComponent]) throws(PolicyError) -> RepositoryPolicy.Cluster {
        let entry = try mapping(node, at: path)
        try checkKeys(entry, allowed: ["name", "certificate", "url", "controller", "fingerprint", "keyBits"], at: path)
        let name = try string(entry["name"], at: path + [.key("name")], required: true)!
        guard Self.isSimpleName(name) else {
            throw failure("\"\(name)\" is not a valid cluster name (letters, digits, '.', '_' and '-' only)", at: path + [.key("name")])
        }
        var sources: [RepositoryPolicy.CertificateLocation] = []
        if let file = try string(entry["certificate"], at: path + [.key("certificate")], required: false) {
            sources.append(.file(file))
        }
        if let url = try string(entry["url"], at: path + [.key("url")], required: false) {
            let lower = url.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("file://") else {
                throw failure("expected an https://, http:// or file:// URL", at: path + [.key("url")])
            }
            sources.append(.url(url))
        }
        if let controller = entry["controller"], !controller.isNull {
            let controllerPath = path + [.key("controller")]
            let fields = try mapping(controller, at: controllerPath)
            try checkKeys(fields, allowed: ["context", "name", "namespace"], at: controllerPath)
            sources.append(.controller(
                context: try string(fields["context"], at: controllerPath + [.key("context")], required: false),
                name: try string(fields["name"], at: controllerPath + [.key("name")], required: false),
                namespace: try string(fields["namespace"], at: controllerPath + [.key("namespace")], required: false)))
        }
        guard sources.count == 1 else {
            throw failure("cluster \"\(name)\" needs exactly one of certificate (a file), url or controller", at: path)
        }
        let fingerprints = try strings(entry["fingerprint"], at: path + [.key("fingerprint")])
        guard !fingerprints.isEmpty else {
            throw failure("cluster \"\(name)\" needs a fingerprint (SHA256:…, as `sealkit keys inspect` prints it)", at: path)
        }
        for (index, fingerprint) in fingerprints.enumerated() where !Self.isFingerprint(fingerprint) {
            let at = entry["fingerprint"]?.sequence == nil ? path + [.key("fingerprint")] : path + [.key("fingerprint"), .index(index)]
            throw failure("\"\(fingerprint)\" is not a key fingerprint; expected SHA256: and 43 base64 characters, as `sealkit keys inspect` prints", at: at)
        }
        var keyBits: Int?
        if let bits = entry["keyBits"], !bits.isNull {
            guard let scalar = bits.scalar, scalar.kind == .int, let value = Int(scalar.text), (2048 ... 16384).contains(value), value % 8 == 0 else {
                throw failure("expected a whole number of bits from 2048 to 16384, a multiple of 8", at: path + [.key("keyBits")])
            }
            keyBits = value
        }
        return RepositoryPolicy.Cluster(name: name, certificate: sources[0], fingerprints: fingerprints, keyBits: keyBits,
                                        line: line(path) ?? 1)
    }

    func rule(_ node: Node, number: Int, at path: [SourceMap.PathComponent]) throws(PolicyError) -> RepositoryPolicy.Rule {
        let entry = try mapping(node, at: path)
        try checkKeys(entry, allowed: ["path", "clusters", "scope", "overlay"], at: path)
        let glob = try glob(entry["path"], field: "rules[\(number - 1)].path", at: path + [.key("path")])
        let clusters = try strings(entry["clusters"], at: path + [.key("clusters")])
        guard !clusters.isEmpty else { throw failure("a rule needs clusters: [NAME, …]", at: path) }
        var scope = SealingScope.strict
        if let text = try string(entry["scope"], at: path + [.key("scope")], required: false) {
            guard let parsed = SealingScope(rawValue: text) else {
                throw failure("expected strict, namespace-wide or cluster-wide, found \"\(text)\"", at: path + [.key("scope")])
            }
            scope = parsed
        }
        var overlay = try string(entry["overlay"], at: path + [.key("overlay")], required: false)
        if let directory = overlay {
            let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
            guard !trimmed.hasPrefix("/"), !trimmed.split(separator: "/").contains("..") else {
                throw failure("must be a directory relative to the repository root", at: path + [.key("overlay")])
            }
            overlay = trimmed
        }
        return RepositoryPolicy.Rule(number: number, path: glob, clusters: clusters, scope: scope, overlay: overlay,
                                     line: line(path) ?? 1)
    }

    func allowance(_ node: Node, at path: [SourceMap.PathComponent]) throws(PolicyError) -> RepositoryPolicy.Allowance {
        let entry = try mapping(node, at: path)
        try checkKeys(entry, allowed: ["path", "rules", "reason"], at: path)
        let glob = try glob(entry["path"], field: "\(path.map(\.description).joined()).path", at: path + [.key("path")])
        let rules = try strings(entry["rules"], at: path + [.key("rules")])
        let reason = try string(entry["reason"], at: path + [.key("reason")], required: false)
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw failure("an allow entry needs a reason: say why this finding is acceptable", at: path)
        }
        return RepositoryPolicy.Allowance(path: glob, rules: rules, reason: reason, line: line(path) ?? 1)
    }

    /// Cluster names become directory names (`--all-clusters` with several clusters per rule).
    static func isSimpleName(_ name: String) -> Bool {
        name != "." && name != ".." && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    /// `SHA256:` and the unpadded base64 of 32 bytes, as ``PublicKey/fingerprint`` writes it.
    static func isFingerprint(_ text: String) -> Bool {
        guard text.hasPrefix("SHA256:") else { return false }
        let body = text.dropFirst("SHA256:".count)
        guard body.count == 43, let decoded = try? Base64.decode(String(body) + "=") else { return false }
        return decoded.count == 32
    }
}
