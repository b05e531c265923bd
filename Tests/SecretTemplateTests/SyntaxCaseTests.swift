import SecretTemplate
import Testing

/// Template language features: actions, trimming, comments, pipelines, variables, control
/// structures, literals, nested templates, and how values print.
@Suite("Template syntax")
struct SyntaxCaseTests {
    static let cases: [RenderCase] = [
        // Text and data access
        .renders("plain text, no actions\n", "plain text, no actions\n"),
        .renders("{ single } braces }} alone", "{ single } braces }} alone"),
        .renders("{{ .username }}:{{ .port }}", "admin:5432"),
        .renders("[{{ .nope }}]", "[<no value>]", "missing map key prints <no value>"),
        .renders("[{{ .nope.deeper }}]", "[<no value>]", "fields of a missing value are missing too"),
        .renders(#"{{ index . "api.key" }}"#, "AKIA-1", "keys with dots need index"),
        .renders(#"[{{ index . "nope" }}]"#, "[]", "index yields the zero value of map[string]string"),
        .renders("[{{ .api.key }}]", "[<no value>]", "a dotted key is a field chain, not a key"),
        .renders("{{ len . }}", "13", "the data is the map of all values"),
        .renders("a: {{ .username }}\r\nb: {{ .port }}\r\n", "a: admin\r\nb: 5432\r\n"),
        .rendersBytes("<{{ .raw }}>", [0x3C, 0xFF, 0x00, 0xC3, 0x3E], values: ["raw": [0xFF, 0x00, 0xC3]], "values are byte strings"),

        // Trim markers and comments
        .renders("x  {{- .username -}}  y", "xadminy"),
        .renders("a\n\n  {{- 1 }}\n", "a1\n", "left trim eats newlines too"),
        .renders("a {{-3}} b", "a -3 b", "a trim marker needs a space: {{-3}} is the number -3"),
        .renders("a{{ 3 -}}\t\n b", "a3b"),
        .renders("a{{/* comment */}}b", "ab"),
        .renders("a {{- /* trimmed */ -}} b", "ab"),
        .renders("{{/* multi\nline */}}x", "x"),
        .renders("{{ .username\n}}", "admin", "newlines are allowed inside actions"),

        // Pipelines
        .renders(#"{{ .username | upper | printf "<%s>" }}"#, "<ADMIN>"),
        .renders(#"{{ "b" | printf "%s-%s" "a" }}"#, "a-b", "the piped value is the last argument"),
        .renders(#"{{ printf "%s/%s" (upper "a") (lower "B") }}"#, "A/b"),
        .renders(#"{{ (printf "%s" "x") | len }}"#, "1"),
        .renders("{{ .username | }}", "admin", "a trailing pipe is accepted by Go's parser"),

        // Variables
        .renders("{{ $u := .username }}{{ $u }}", "admin", "a declaration prints nothing"),
        .renders("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", "2"),
        .renders("{{ $n := 0 }}{{ range list 1 2 3 }}{{ $n = add $n . }}{{ end }}{{ $n }}", "6", "assignments in a loop update the outer variable"),
        .renders("{{ range list 1 2 }}{{ $.username }}{{ end }}", "adminadmin", "$ is the data everywhere"),
        .renders(#"{{ $d := dict "a" "x" }}{{ $d.a }}"#, "x", "variables have field chains"),
        .renders("{{ if $x := .username }}{{ $x }}{{ end }}", "admin"),
        .fails("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}", .parse, "a variable's scope ends at {{end}}"),
        .fails("{{ $y = 1 }}", .execute, "assigning an undeclared variable fails when executed, not parsed"),

        // if / else if / with
        .renders(#"{{ if eq .num "1" }}one{{ else if eq .num "42" }}answer{{ else }}other{{ end }}"#, "answer"),
        .renders("{{ if .empty }}T{{ else }}F{{ end }}{{ if .zero }}T{{ end }}{{ if .false }}T{{ end }}", "FTT", "only the empty string is false"),
        .renders("{{ if 0 }}T{{ else }}F{{ end }}{{ if 0.0 }}T{{ else }}F{{ end }}{{ if list }}T{{ else }}F{{ end }}{{ if dict }}T{{ else }}F{{ end }}", "FFFF"),
        .renders("{{ if .nope }}T{{ else }}F{{ end }}", "F"),
        .renders("{{ with .username }}[{{ . }}]{{ end }}", "[admin]", "with sets dot"),
        .renders("{{ with .empty }}x{{ else }}none{{ end }}", "none"),
        .renders("{{ with .nope }}a{{ else with .username }}{{ . }}{{ end }}", "admin", "else with (Go 1.23)"),
        .renders(#"{{ with $x := "v" }}{{ $x }}{{ . }}{{ end }}"#, "vv"),

        // range
        .renders(#"{{ range $i, $v := list "x" "y" }}{{ $i }}={{ $v }};{{ end }}"#, "0=x;1=y;"),
        .renders(#"{{ range $k, $v := dict "b" 2 "a" 1 }}{{ $k }}{{ $v }}{{ end }}"#, "a1b2", "maps range in sorted key order"),
        .renders(#"{{ range $v := list "p" "q" }}{{ $v }}{{ end }}"#, "pq", "one variable gets the element"),
        .renders("{{ range list }}x{{ else }}empty{{ end }}", "empty"),
        .renders("{{ range .nope }}x{{ else }}missing{{ end }}", "missing", "a missing value ranges like an empty map"),
        .renders("{{ range 3 }}{{ . }}{{ end }}", "012", "range over an integer (Go 1.24)"),
        .renders("{{ range $i := 2 }}[{{ $i }}]{{ end }}{{ range 0 }}x{{ else }}none{{ end }}", "[0][1]none"),
        .fails("{{ range $i, $v := 3 }}{{ end }}", .execute, "an integer yields only one variable"),
        .renders(#"{{ range splitList "," .csv }}{{ if eq . "b" }}{{ continue }}{{ end }}{{ . }}{{ end }}"#, "ac"),
        .renders(#"{{ range splitList "," .csv }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}"#, "a"),
        .renders(#"{{ range $a := list 1 2 }}{{ range $b := list "x" "y" }}{{ $a }}{{ $b }} {{ end }}{{ end }}"#, "1x 1y 2x 2y "),
        .renders(#"{{ $l := list 1 2 }}{{ range $l }}{{ $l = 0 }}{{ . }}{{ end }}{{ $l }}"#, "120", "the ranged value is evaluated once"),
        .fails("{{ range .username }}{{ end }}", .execute, "strings cannot be ranged over"),
        .fails("{{ break }}", .parse),

        // Nested templates
        .renders(#"{{ define "cred" }}{{ .username }}:{{ .port }}{{ end }}[{{ template "cred" . }}]"#, "[admin:5432]"),
        .renders(#"{{ define "t" }}[{{ . }}]{{ end }}{{ template "t" }}"#, "[<no value>]", "without data, dot is missing"),
        .renders(#"{{ define "t" }}{{ $ }}{{ end }}{{ template "t" "arg" }}"#, "arg", "$ is the template's own argument"),
        .renders(#"{{ block "b" .username }}<{{ . }}>{{ end }}"#, "<admin>"),
        .renders(#"{{ template "later" }}{{ define "later" }}ok{{ end }}"#, "ok", "definitions may follow their use"),
        .fails(#"{{ define "b" }}x{{ end }}{{ block "b" . }}y{{ end }}"#, .parse, "two non-empty definitions of one name"),
        .fails(#"{{ template "nope" }}"#, .execute),

        // Literals
        .renders(#"{{ "tab\there \u00e9 \x41 \101 \"q\" \\" }}"#, "tab\there é A A \"q\" \\"),
        .renders("{{ `raw \\n {{x}}` }}", "raw \\n {{x}}"),
        .renders(#"{{ 'a' }} {{ '\n' }} {{ '\u00e9' }}"#, "97 10 233", "character constants are ints"),
        .renders("{{ 0x1F }} {{ 0o17 }} {{ 017 }} {{ 0b101 }} {{ 1_000 }} {{ +5 }} {{ -7 }}", "31 15 15 5 1000 5 -7"),
        .renders("{{ 3.5 }} {{ 1e3 }} {{ 1e6 }} {{ 1.5e-7 }} {{ 2.0 }} {{ 0x1p-2 }}", "3.5 1000 1e+06 1.5e-07 2 0.25", "%v of floats uses %g with a shortest-width exponent rule"),
        .renders("{{ 9223372036854775807 }} {{ 1e21 }}", "9223372036854775807 1e+21"),
        .fails("{{ 99999999999999999999 }}", .parse, "too large for int64 and written as an integer"),
        .fails("{{ 18446744073709551615 }}", .execute, "fits uint64, so parsing succeeds, but it is not an int"),
        .renders("{{ 1i }} {{ 2+3i }}", "(0+1i) (2+3i)"),
        .renders("{{ true }} {{ false }}", "true false"),
        .fails("{{ nil }}", .execute, "nil is not a command"),
        .fails("{{ 'ab' }}", .parse),

        // Field chains
        .renders(#"{{ (dict "a" (dict "b" "deep")).a.b }}"#, "deep"),
        .fails(#"{{ (dict "a" nil).a.b }}"#, .execute, "a field of a nil interface is an error, unlike a missing key"),
        .fails("{{ .username.field }}", .execute),
        .fails("{{ .username 1 }}", .execute, "a map key is not a method"),
        .renders("{{ (fromJson .json).nested.f }}", "1.5"),
    ]

    @Test("syntax", arguments: cases)
    func syntax(_ row: RenderCase) {
        row.check()
    }
}
