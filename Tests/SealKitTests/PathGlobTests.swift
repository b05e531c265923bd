import Testing
@testable import SealKit

@Suite("Policy path patterns")
struct PathGlobTests {
    @Test("*, ?, [..] stay within one component; ** spans any number", arguments: [
        ("overlays/prod/**", "overlays/prod/db.yaml", true),
        ("overlays/prod/**", "overlays/prod/a/b/c.yaml", true),
        ("overlays/prod/**", "overlays/prod", true),
        ("overlays/prod/**", "overlays/production/db.yaml", false),
        ("overlays/prod/**", "apps/overlays/prod/db.yaml", false),
        ("overlays/prod/", "overlays/prod/x/db.yaml", true),
        ("overlays/*/secrets/**", "overlays/dev/secrets/a.yaml", true),
        ("overlays/*/secrets/**", "overlays/dev/extra/secrets/a.yaml", false),
        ("**/secrets/*.yaml", "secrets/a.yaml", true),
        ("**/secrets/*.yaml", "x/y/secrets/a.yaml", true),
        ("**/secrets/*.yaml", "x/y/secrets/a.json", false),
        ("**/secrets/*.yaml", "x/y/secrets/sub/a.yaml", false),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a/**/**/b", "a/b", true),
        ("*.yaml", "db.yaml", true),
        ("*.yaml", "dir/db.yaml", false),
        ("db-?.yaml", "db-1.yaml", true),
        ("db-?.yaml", "db-12.yaml", false),
        ("db-[0-9].yaml", "db-7.yaml", true),
        ("db-[!0-9].yaml", "db-7.yaml", false),
        ("db-[!0-9].yaml", "db-x.yaml", true),
        ("*-secret*.yaml", "my-secret-v2.yaml", true),
        ("ü*/x", "über/x", true),
        ("?ber/x", "über/x", true),
        ("./overlays/dev/**", "overlays/dev/a", true),
    ])
    func matching(_ pattern: String, _ path: String, _ expected: Bool) throws {
        #expect(try PathGlob(pattern).matches(path) == expected, "\(pattern) vs \(path)")
    }

    @Test("patterns that cannot be relative to the root are refused") func refused() {
        for pattern in ["", "/etc/**", "a/../b", "a/[bc"] {
            #expect(throws: PolicyError.self, "\(pattern)") { try PathGlob(pattern) }
        }
    }

    @Test("the directory --all-clusters writes into") func literalDirectory() throws {
        #expect(try PathGlob("overlays/prod/**").literalDirectory == "overlays/prod")
        #expect(try PathGlob("overlays/prod/").literalDirectory == "overlays/prod")
        #expect(try PathGlob("overlays/prod/**/*.yaml").literalDirectory == "overlays/prod")
        #expect(try PathGlob("apps/*/prod/**").literalDirectory == nil)
        #expect(try PathGlob("**/prod/**").literalDirectory == nil)
        #expect(try PathGlob("overlays/prod/db.yaml").literalDirectory == nil)
        #expect(try PathGlob("overlays/prod/*.yaml").literalDirectory == "overlays/prod")
    }

    @Test("a pathological pattern stays fast") func noBacktrackingBlowUp() throws {
        let pattern = try PathGlob(String(repeating: "**/a*", count: 20) + "/b")
        let path = Array(repeating: "aaaaaaaaaaaaaaaaaaaa", count: 40).joined(separator: "/")
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!pattern.matches(path)) }
        #expect(elapsed < .seconds(1))
    }
}
