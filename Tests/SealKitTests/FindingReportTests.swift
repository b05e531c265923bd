import Testing
@testable import SealKit

@Suite("guard and lint reports: text, JSON, SARIF 2.1.0")
struct FindingReportTests {
    static let report = FindingReport(tool: "sealkit lint", rules: LintRules.all, findings: [
        Finding(rule: "scope-mismatch", file: "overlays/prod/db.yaml", line: 14, column: 7, message: "scopes differ"),
        Finding(rule: "missing-namespace", file: "./my overlays/ü.yaml", line: 3, message: "no namespace",
                allowedBecause: "known"),
    ], filesScanned: 12)

    @Test("text: compiler-style lines for open findings only; a summary with counts") func text() {
        #expect(Self.report.text() == "overlays/prod/db.yaml:14:7: error: scopes differ [scope-mismatch]\n")
        #expect(Self.report.summary() == "sealkit lint: 1 finding(s) in 1 file(s) (12 file(s) scanned; 1 allowed by .sealkit.yaml)")
        let clean = FindingReport(tool: "sealkit guard", rules: [], findings: [], filesScanned: 3)
        #expect(clean.summary() == "sealkit guard: no findings (3 file(s) scanned)")
        #expect(clean.text().isEmpty)
    }

    @Test("JSON keeps every finding, allowed ones with their reason") func json() throws {
        let node = Self.report.json()
        let findings = try #require(node.mapping?["findings"]?.sequence)
        #expect(findings.count == 2)
        #expect(findings[0].mapping?["line"]?.scalar?.text == "14")
        #expect(findings[1].mapping?["allowedBecause"]?.scalar?.text == "known")
        #expect(node.mapping?["filesScanned"]?.scalar?.text == "12")
    }

    @Test("SARIF: the 2.1.0 shape code-scanning UIs read") func sarif() throws {
        let text = JSONWriter.write(Self.report.sarif())
        let log = try #require(YAMLReader.manifests(text).first?.root.mapping)
        #expect(log["version"]?.scalar?.text == "2.1.0")
        let run = try #require(log["runs"]?.sequence?.first?.mapping)
        let driver = try #require(run["tool"]?.mapping?["driver"]?.mapping)
        #expect(driver["name"]?.scalar?.text == "sealkit lint")
        let rules = try #require(driver["rules"]?.sequence)
        #expect(rules.compactMap { $0.mapping?["id"]?.scalar?.text } == LintRules.all.map(\.id))
        let results = try #require(run["results"]?.sequence)
        #expect(results.count == 2)
        let first = try #require(results[0].mapping)
        #expect(first["ruleId"]?.scalar?.text == "scope-mismatch")
        let ruleIndex = try #require(Int(first["ruleIndex"]?.scalar?.text ?? ""))
        #expect(rules[ruleIndex].mapping?["id"]?.scalar?.text == "scope-mismatch")
        #expect(first["level"]?.scalar?.text == "error")
        #expect(first["message"]?.mapping?["text"]?.scalar?.text == "scopes differ")
        let location = try #require(first["locations"]?.sequence?.first?.mapping?["physicalLocation"]?.mapping)
        #expect(location["artifactLocation"]?.mapping?["uri"]?.scalar?.text == "overlays/prod/db.yaml")
        #expect(location["region"]?.mapping?["startLine"]?.scalar?.text == "14")
        #expect(location["region"]?.mapping?["startColumn"]?.scalar?.text == "7")
        #expect(first["suppressions"] == nil)
        let second = try #require(results[1].mapping)
        let uri = second["locations"]?.sequence?.first?.mapping?["physicalLocation"]?.mapping?["artifactLocation"]?.mapping?["uri"]
        #expect(uri?.scalar?.text == "my%20overlays/%C3%BC.yaml")
        let suppression = try #require(second["suppressions"]?.sequence?.first?.mapping)
        #expect(suppression["kind"]?.scalar?.text == "external")
        #expect(suppression["justification"]?.scalar?.text == "known")
    }
}
