import SecretTemplate
import Testing

/// Malformed templates and failing executions: the phase must match Go (a parse error is
/// reported before anything runs; an execution error after partial evaluation).
@Suite("Errors")
struct ErrorCaseTests {
    static let cases: [RenderCase] = [
        // Parse errors
        .fails("{{ nosuchfunc .username }}", .parse, "undefined functions are rejected while parsing"),
        .fails(#"{{ env "HOME" }}{{ expandenv "$HOME" }}"#, .parse, "env is removed from the controller's function map"),
        .fails(#"{{ getHostByName "localhost" }}"#, .parse),
        .fails(#"{{ now }}"#, .parse, "date functions are not implemented"),
        .fails("{{ .username ", .parse, "unclosed action"),
        .fails(#"{{ "abc }}"#, .parse, "unterminated quoted string"),
        .fails("{{ `abc }}", .parse, "unterminated raw string"),
        .fails("{{/* never closed }}", .parse),
        .fails("{{ (upper .username }}", .parse, "unclosed left paren"),
        .fails("{{ ) }}", .parse),
        .fails("{{ end }}", .parse),
        .fails("{{ else }}", .parse),
        .fails("{{ if }}x{{ end }}", .parse, "missing value for if"),
        .fails("{{ if .username }}x", .parse, "unexpected EOF"),
        .fails("{{ $undefined }}", .parse),
        .fails("{{ 0x }}", .parse, "illegal number syntax"),
        .fails("{{ 3x }}", .parse, "bad number syntax"),
        .fails("{{ .username | \"x\" }}", .parse, "a literal cannot receive a piped value"),
        .fails("{{ | upper }}", .parse),
        .fails("{{ range $a, $b, $c := . }}{{ end }}", .parse),
        .fails("{{ continue }}", .parse),
        .fails(#"{{ define "x" }}no end"#, .parse),
        .fails("{{ .a.b.c | }}{{ .username:x }}", .parse, "a colon must start :="),
        .fails("{{ \"\\q\" }}", .parse, "invalid escape in a string literal"),
        .fails("{{ true.x }}", .parse, "literals have no fields"),
        .fails("{{ ä@ }}", .parse),

        // Execution errors
        .fails("{{ upper 42 }}", .execute, "a number literal is not a string"),
        .fails("{{ upper .nope }}", .execute, "a missing value cannot become a string"),
        .fails("{{ 3 | upper }}", .execute),
        .fails("{{ upper }}", .execute, "wrong number of arguments"),
        .fails(#"{{ upper "a" "b" }}"#, .execute),
        .fails("{{ index .nope 0 }}", .execute),
        .fails(#"{{ print (index (list 1 2) 5) }}"#, .execute),
        .fails("{{ .username.field }}", .execute),
        .fails("{{ (list 1 2).foo }}", .execute),
        .fails("{{ template \"missing\" }}", .execute),
        .fails("{{ nil }}", .execute),
        .fails("{{ printf }}", .execute),
        .fails("{{ toJson }}", .execute),
        .fails(#"before {{ .username }} {{ fail "stop" }} after"#, .execute),
    ]

    @Test("errors", arguments: cases)
    func error(_ row: RenderCase) {
        row.check()
    }

    @Test("errors carry Go's position: 1-based line, 0-based byte column")
    func positions() throws {
        let renderer = TemplateRenderer.testing()
        do {
            _ = try renderer.render(name: "config.yaml", template: "a: 1\nb: {{ .x }}\nc: {{ fail \"stop\" }}\n", values: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.phase == .execute)
            #expect(error.line == 3)
            #expect(error.column == 6)
            #expect(error.message == #"executing "config.yaml" at <fail "stop">: error calling fail: stop"#)
            #expect(error.description == #"template "config.yaml" 3:6: executing "config.yaml" at <fail "stop">: error calling fail: stop"#)
        }
        do {
            _ = try renderer.render(name: "config.yaml", template: "line1\nline2\n  {{ nosuchfunc }}", values: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.phase == .parse)
            #expect(error.line == 3)
            #expect(error.column == 5)
            #expect(error.description == #"template "config.yaml" 3:5: function "nosuchfunc" not defined"#)
        }
    }

    @Test("errors inside a defined template name that template")
    func definedTemplateErrors() {
        do {
            _ = try TemplateRenderer.testing().render(name: "entry", template: #"{{ define "inner" }}{{ upper 1 }}{{ end }}{{ template "inner" }}"#, values: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.entry == "entry")
            #expect(error.message.hasPrefix(#"executing "inner" at <1>"#))
        }
    }
}
