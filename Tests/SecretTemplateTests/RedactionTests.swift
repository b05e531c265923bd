import SecretTemplate
import Testing

/// Error messages end up in logs and events; they must never contain secret data, even
/// where Go's own messages would print it.
@Suite("No secrets in errors")
struct RedactionTests {
    static let secret = "s3cr3t-Pa55-W0rd"
    static let values: [String: [UInt8]] = [
        "password": Array(secret.utf8),
        "pin": Array("4711".utf8),
        "json": Array(#"{"token": x}"#.utf8),
    ]

    /// Templates that fail while a secret (or a value derived from it) is being processed.
    static let failingTemplates: [String] = [
        "{{ range .password }}{{ end }}",  // Go: "range can't iterate over s3cr3t-..."
        "{{ atoi .pin | index (list 1) }}",  // Go: "index out of range: 4711"
        "{{ index .password (atoi .pin) }}",  // Go: "index out of range: 4711"
        #"{{ fail (printf "bad password %s" .password) }}"#,  // Go echoes the message
        #"{{ fail .password }}"#,
        "{{ mustFromJson .json }}",  // Go: "invalid character 'x' ..."
        "{{ regexFind (printf \"%s[\" .password) \"x\" }}",  // a secret used as a pattern (regexMatch would swallow the error)
        "{{ mustRegexMatch (printf \"(%s\" .password) \"x\" }}",  // Go quotes the pattern
        "{{ eq (list .password) (list .password) }}",  // Go: "non-comparable type [s3cr3t-...]"
        "{{ range $a, $b := (atoi .pin) }}{{ end }}",  // Go: "can't use 4711 to iterate ..."
        "{{ urlParse (printf \"%s://%%zz\" .password) }}",  // Go quotes the URL
        "{{ call .password }}",
        "{{ index (list .password) .password }}",
        "{{ .password.field }}",
    ]

    @Test("messages name types and template text, never values", arguments: failingTemplates)
    func noSecretInMessage(_ template: String) {
        do {
            _ = try TemplateRenderer.testing().render(name: "secret.txt", template: template, values: Self.values)
            Issue.record("expected \(template) to fail")
        } catch {
            #expect(!error.description.contains(Self.secret), "\(error)")
            #expect(!error.description.contains("4711"), "\(error)")
            #expect(!error.message.contains(Self.secret))
        }
    }

    @Test("fail keeps messages written in the template")
    func literalFailMessage() {
        do {
            _ = try TemplateRenderer.testing().render(name: "x", template: #"{{ if not .missing }}{{ fail "missing is required" }}{{ end }}"#, values: Self.values)
            Issue.record("expected failure")
        } catch {
            #expect(error.message.hasSuffix("error calling fail: missing is required"))
        }
    }

    @Test("output is not affected by redaction")
    func outputKeepsSecrets() throws {
        let output = try TemplateRenderer.testing().render(name: "x", template: "{{ .password }}", values: Self.values)
        #expect(output == Array(Self.secret.utf8))
    }
}
