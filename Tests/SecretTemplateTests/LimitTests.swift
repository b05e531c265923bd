import SecretTemplate
import Testing

/// Runaway templates stop with a `.limit` error instead of exhausting memory, time or stack.
@Suite("Resource limits")
struct LimitTests {
    private func expectLimit(_ template: String, limits: TemplateLimits = .default, _ comment: Comment? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let output = try TemplateRenderer.testing(limits: limits).render(name: "runaway", template: template, values: ["v": Array("x".utf8)])
            Issue.record("rendered \(output.count) bytes; expected a limit error", sourceLocation: sourceLocation)
        } catch {
            #expect(error.phase == .limit, "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("output is capped")
    func outputCap() throws {
        let small = TemplateLimits(maxOutputBytes: 100, maxSteps: 1_000_000)
        expectLimit(#"{{ repeat 101 "x" }}"#, limits: small)
        expectLimit(#"{{ range until 50 }}abc{{ end }}"#, limits: small)
        // Exactly at the cap is fine.
        let output = try TemplateRenderer.testing(limits: small).render(name: "ok", template: #"{{ repeat 100 "x" }}"#, values: [:])
        #expect(output.count == 100)
    }

    @Test("work is capped")
    func stepCap() {
        let tight = TemplateLimits(maxOutputBytes: 1 << 20, maxSteps: 1_000)
        expectLimit("{{ range until 10000 }}{{ end }}", limits: tight)
        expectLimit("{{ range 1000000000 }}{{ end }}", "a huge integer range")
        expectLimit(#"{{ $s := "x" }}{{ range until 100 }}{{ $s = cat $s $s }}{{ end }}"#, "doubling a string")
        expectLimit(#"{{ regexMatch "(a|aa)*b" (repeat 200000 "a") }}"#, limits: TemplateLimits(maxOutputBytes: 1 << 20, maxSteps: 10_000), "regex work is charged")
    }

    @Test("intermediate values are capped")
    func valueCap() {
        expectLimit(#"{{ repeat 100000000 "x" | len }}"#)
        expectLimit(#"{{ until 100000000 | len }}"#)
        expectLimit(#"{{ seq 100000000 | len }}"#)
        expectLimit(#"{{ indent 100000000 "x" | len }}"#)
        expectLimit(#"{{ randAlphaNum 100000000 | len }}"#)
        expectLimit(#"{{ printf "%999999d%999999d%999999d%999999d%999999d" 1 2 3 4 5 | len }}"#)
    }

    @Test("recursion and nesting are bounded")
    func recursion() {
        expectLimit(#"{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}"#, "infinitely recursive template")
        expectLimit(String(repeating: "{{ if true }}", count: 150) + String(repeating: "{{ end }}", count: 150), "deeply nested control structures")
        expectLimit("{{ " + String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150) + " }}", "deeply nested parentheses")
        expectLimit(#"{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ $d }}"#, "a dict containing itself cannot be printed")
        expectLimit(#"{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ toJson $d }}"#)
        expectLimit(#"{{ $l := list }}{{ range until 300 }}{{ $l = list $l }}{{ end }}{{ toString $l }}"#)
        expectLimit(#"{{ fromJson (printf "%s%s" (repeat 500 "[") (repeat 500 "]")) }}"#, "deep JSON")
    }

    @Test("moderate nesting still works")
    func moderateNesting() throws {
        let depth = 40
        let template = String(repeating: "{{ if true }}", count: depth) + "ok" + String(repeating: "{{ end }}", count: depth)
        let output = try TemplateRenderer.testing().render(name: "nested", template: template, values: [:])
        #expect(output == Array("ok".utf8))
        let recursive = #"{{ define "count" }}{{ if gt . 0 }}{{ . }}{{ template "count" (sub . 1 | int) }}{{ end }}{{ end }}{{ template "count" 5 }}"#
        #expect(try TemplateRenderer.testing().render(name: "recursive", template: recursive, values: [:]) == Array("54321".utf8))
    }

    @Test("bcrypt is charged as expensive work")
    func bcryptIsExpensive() {
        expectLimit(#"{{ range until 200 }}{{ bcrypt "x" }}{{ end }}"#, limits: TemplateLimits(maxOutputBytes: 1 << 20, maxSteps: 15_000))
    }
}
