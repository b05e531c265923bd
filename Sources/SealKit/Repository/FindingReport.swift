/// The findings of one `guard` or `lint` run, written for people (compiler-style
/// `file:line:column: error: …` lines an editor can jump to), for scripts (JSON), or for
/// code-scanning UIs (SARIF 2.1.0, which GitHub, GitLab and Azure DevOps show inline on pull
/// requests). Accepted findings (the policy's allow-list) are kept in JSON and SARIF — SARIF
/// marks them as externally suppressed with the policy's reason — and left out of the text.
public struct FindingReport: Sendable {
    /// `sealkit guard` or `sealkit lint`.
    public var tool: String
    /// The catalogue the findings come from (SARIF lists it as the driver's rules).
    public var rules: [FindingRule]
    /// Every finding, allowed ones included.
    public var findings: [Finding]
    /// Files looked at, so a clean report still says how much it covered.
    public var filesScanned: Int

    /// A report of one run.
    public init(tool: String, rules: [FindingRule], findings: [Finding], filesScanned: Int) {
        self.tool = tool
        self.rules = rules
        self.findings = findings
        self.filesScanned = filesScanned
    }

    /// Findings that count: not accepted by the allow-list.
    public var open: [Finding] { findings.filter { $0.allowedBecause == nil } }

    /// One `file:line:column: level: message [rule]` line per open finding, the form editors and
    /// CI log viewers turn into links.
    public func text() -> String {
        open.map { finding in
            let column = finding.column.map { ":\($0)" } ?? ""
            return "\(finding.file):\(finding.line)\(column): \(finding.level.rawValue): \(finding.message) [\(finding.rule)]\n"
        }.joined()
    }

    /// One line for stderr: counts, so a clean run still says what it looked at.
    public func summary() -> String {
        let open = open
        let files = Set(open.map(\.file)).count
        let allowed = findings.count - open.count
        let allowedNote = allowed > 0 ? "; \(allowed) allowed by \(RepositoryPolicy.fileName)" : ""
        if open.isEmpty { return "\(tool): no findings (\(filesScanned) file(s) scanned\(allowedNote))" }
        return "\(tool): \(open.count) finding(s) in \(files) file(s) (\(filesScanned) file(s) scanned\(allowedNote))"
    }

    /// Every finding as a JSON object (`rule`, `level`, `file`, `line`, `column`, `message`,
    /// `allowedBecause`), for scripts.
    public func json() -> Node {
        .mapping(Mapping([
            "tool": .string(tool),
            "version": .string(SealKitVersion.current),
            "filesScanned": .int(filesScanned),
            "findings": .sequence(findings.map { finding in
                var entry = Mapping([
                    "rule": .string(finding.rule),
                    "level": .string(finding.level.rawValue),
                    "file": .string(finding.file),
                    "line": .int(finding.line),
                ])
                if let column = finding.column { entry["column"] = .int(column) }
                entry["message"] = .string(finding.message)
                if let reason = finding.allowedBecause { entry["allowedBecause"] = .string(reason) }
                return .mapping(entry)
            }),
        ]))
    }

    /// A SARIF 2.1.0 log with one run. Paths are relative URIs as the findings name them (run
    /// from the repository root, as CI does, they resolve against the checkout).
    public func sarif() -> Node {
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let driverRules: [Node] = rules.map { rule in
            .mapping(Mapping([
                "id": .string(rule.id),
                "shortDescription": .mapping(Mapping(["text": .string(rule.summary)])),
                "fullDescription": .mapping(Mapping(["text": .string(rule.summary + ". " + rule.help)])),
                "help": .mapping(Mapping(["text": .string(rule.help)])),
                "defaultConfiguration": .mapping(Mapping(["level": .string(rule.level.rawValue)])),
            ]))
        }
        let results: [Node] = findings.map { finding in
            var region = Mapping(["startLine": .int(finding.line)])
            if let column = finding.column { region["startColumn"] = .int(column) }
            var result = Mapping([
                "ruleId": .string(finding.rule),
            ])
            if let index = ruleIndex[finding.rule] { result["ruleIndex"] = .int(index) }
            result["level"] = .string(finding.level.rawValue)
            result["message"] = .mapping(Mapping(["text": .string(finding.message)]))
            result["locations"] = .sequence([.mapping(Mapping([
                "physicalLocation": .mapping(Mapping([
                    "artifactLocation": .mapping(Mapping([
                        "uri": .string(Self.uri(finding.file)),
                        "uriBaseId": .string("%SRCROOT%"),
                    ])),
                    "region": .mapping(region),
                ])),
            ]))])
            if let reason = finding.allowedBecause {
                result["suppressions"] = .sequence([.mapping(Mapping([
                    "kind": .string("external"), "justification": .string(reason),
                ]))])
            }
            return .mapping(result)
        }
        return .mapping(Mapping([
            "$schema": .string("https://json.schemastore.org/sarif-2.1.0.json"),
            "version": .string("2.1.0"),
            "runs": .sequence([.mapping(Mapping([
                "tool": .mapping(Mapping([
                    "driver": .mapping(Mapping([
                        "name": .string(tool),
                        "version": .string(SealKitVersion.current),
                        "rules": .sequence(driverRules),
                    ])),
                ])),
                "columnKind": .string("unicodeCodePoints"),
                "results": .sequence(results),
            ]))]),
        ]))
    }

    /// A relative URI reference for a path: `/` kept, anything outside RFC 3986's unreserved
    /// set percent-encoded (a space in a file name must not break the log).
    static func uri(_ path: String) -> String {
        var text = path
        while text.hasPrefix("./") { text.removeFirst(2) }
        var output = ""
        for byte in text.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if CredentialScanner.isAlphanumeric(byte) || "-._~/".contains(character) {
                output.append(character)
            } else {
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
