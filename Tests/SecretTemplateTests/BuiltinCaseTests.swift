import SecretTemplate
import Testing

/// `text/template`'s predefined functions and Go's `fmt` printing rules.
@Suite("Builtins and printing")
struct BuiltinCaseTests {
    static let cases: [RenderCase] = [
        // and / or / not: they return an operand, not a bool, and short-circuit
        .renders(#"{{ and .username .port }}|{{ and .empty "x" }}|{{ and 1 0 2 }}"#, "5432||0"),
        .renders(#"{{ or .empty .zero }}|{{ or 0 "" false }}"#, "0|false"),
        .renders(#"{{ or .username (fail "never") }}|{{ and .empty (fail "never") }}"#, "admin|", "later arguments are not evaluated"),
        .renders("{{ not .empty }} {{ not .username }} {{ not 0 }} {{ not .nope }}", "true false true true"),
        .fails("{{ and }}", .execute),

        // len and index
        .renders(#"{{ len .unicode }} {{ len (list 1 2) }} {{ len (dict "a" 1) }} {{ len .empty }}"#, "14 2 1 0", "len counts bytes of strings"),
        .fails("{{ len 3 }}", .execute),
        .renders(#"{{ index (list "a" "b") 1 }}{{ index (list (list 1 2) (list 3 4)) 1 0 }}"#, "b3"),
        .renders(#"{{ index (dict "k" "v") "k" }}|{{ index (dict "k" "v") "z" }}|"#, "v|<no value>|", "a missing dict entry is a nil interface"),
        .renders("{{ index .username 0 }}", "97", "indexing a string yields a byte"),
        .renders("{{ eq (index .username 0) 97 }}", "true", "uint8 and int compare by value"),
        .fails("{{ index (list 1 2) 2 }}", .execute),
        .fails("{{ index (list 1 2) -1 }}", .execute),
        .fails("{{ index . 1 }}", .execute, "map keys must be strings"),

        // print / println / printf
        .renders(#"{{ print "a" "b" }}|{{ print 1 2 }}|{{ print "a" 1 2 "b" }}|{{ print 1 "x" }}"#, "ab|1 2|a1 2b|1x", "Sprint adds spaces only between non-strings"),
        .renders(#"{{ println "a" 1 }}end"#, "a 1\nend"),
        .renders("{{ print .nope }}|{{ print nil }}", "<nil>|<nil>"),
        .renders(#"{{ printf "%s|%q|%v|%d" .username .username 1.5 42 }}"#, "admin|\"admin\"|1.5|42"),
        .renders(#"{{ printf "%05d|%-4d|%+d|% d|%x|%X|%o|%O|%b|%#x" 42 7 5 5 255 255 8 8 5 255 }}"#, "00042|7   |+5| 5|ff|FF|10|0o10|101|0xff"),
        .renders(#"{{ printf "%.2f|%8.3f|%-7.1f|%e|%E|%g|%.3g|%G" 3.14159 2.5 1.25 1234.5678 0.00012 100000.0 1234.5678 1e-10 }}"#,
                 "3.14|   2.500|1.2    |1.234568e+03|1.200000E-04|100000|1.23e+03|1E-10", "%.1f rounds 1.25 half to even"),
        .renders(#"{{ printf "%.0f %.0f %.0f %.2f" 0.5 1.5 2.5 2.675 }}"#, "0 2 2 2.67", "rounding uses the exact binary value"),
        .renders(#"{{ printf "%c|%U|%#U|%q" 65 233 233 65 }}"#, "A|U+00E9|U+00E9 'é'|'A'"),
        .renders(#"{{ printf "%x|% x|%#x|%X" "hi" "hi" "hi" "é" }}"#, "6869|68 69|0x6869|C3A9"),
        .renders(#"{{ printf "%5s|%-5s|%.2s|%q" "ab" "ab" "héllo" "a\nb" }}"#, "   ab|ab   |hé|\"a\\nb\"", "widths and precisions count runes"),
        .renders(#"{{ printf "%+q|%#q" "é" "raw" }}"#, "\"\\u00e9\"|`raw`"),
        .renders(#"{{ printf "%t|%v|%T|%T|%T" true nil 1 "s" (list) }}"#, "true|<nil>|int|string|[]interface {}"),
        .renders(#"{{ printf "%v|%d|%s" (list 1 "a") (list 1 2) (list 1) }}"#, "[1 a]|[1 2]|[%!s(int=1)]", "verbs apply to elements"),
        .renders(#"{{ printf "%v" (dict "b" 1 "a" (list)) }}"#, "map[a:[] b:1]", "maps print with sorted keys"),
        .renders(#"{{ printf "%#v|%#v" (list 1 "x") (dict "k" "v") }}"#, "[]interface {}{1, \"x\"}|map[string]interface {}{\"k\":\"v\"}"),
        .renders(#"{{ printf "%d" "x" }}|{{ printf "%s %s" "a" }}|{{ printf "%s" "a" "b" }}|{{ printf "%z" 1 }}|{{ printf "%" }}"#,
                 "%!d(string=x)|a %!s(MISSING)|a%!(EXTRA string=b)|%!z(int=1)|%!(NOVERB)"),
        .renders(#"{{ printf "%[2]s %[1]s" "a" "b" }}|{{ printf "%*d|%.*f" 4 7 1 3.14159 }}"#, "b a|   7|3.1"),
        .renders(#"{{ printf "%s" .nope }}|{{ printf "%v" .nope }}"#, "%!s(<nil>)|<nil>"),
        .renders("{{ 1.0 }} {{ 100000.0 }} {{ 1234567.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ -0.0 }}", "1 100000 1.234567e+06 0.0001 1e-05 -0", "%v is %g with shortest digits: exponent form below 1e-4 and from 1e+06"),
        .fails("{{ printf }}", .execute),

        // Comparisons
        .renders(#"{{ eq .username "root" "admin" }} {{ eq 1 2 }} {{ ne .port "5432" }}"#, "true false false", "eq with several arguments is an 'any of'"),
        .renders(#"{{ lt 1 2 }} {{ le 2 2 }} {{ gt 3 1 }} {{ ge 1 2 }} {{ lt "10" "9" }} {{ gt "b" "a" }} {{ lt 1.5 2.5 }}"#, "true true true false true true true"),
        .renders(#"{{ eq .nope "x" }} {{ eq .nope nil }}"#, "false true", "a missing value compares unequal, without error"),
        .fails("{{ eq 1 1.5 }}", .execute, "int and float64 are incompatible"),
        .fails("{{ lt .port 10 }}", .execute),
        .fails("{{ eq (list 1) (list 1) }}", .execute, "slices are not comparable"),
        .fails("{{ lt true false }}", .execute),

        // Escapers
        .renders("{{ html .password }}", "s3cr3t&lt;&amp;&gt;&#34;&#39;pa$$"),
        .renders("{{ js .password }}", "s3cr3t\\u003C\\u0026\\u003E\\\"\\'pa$$"),
        .renders(#"{{ js "a=b\n" }}"#, "a\\u003Db\\u000A"),
        .renders("{{ urlquery .password }}", "s3cr3t%3C%26%3E%22%27pa%24%24"),
        .renders(#"{{ urlquery "a b" "/" 1 }}"#, "a+b%2F1", "arguments are joined with fmt.Sprint first"),
        .renders("{{ html .nope }}", "&lt;no value&gt;", "a missing argument prints as <no value>"),

        // slice (Sprig's version replaces Go's builtin)
        .renders(#"{{ slice (list 1 2 3 4) 1 3 }}|{{ slice (list "a" "b" "c") 1 }}|{{ slice (list 1 2) }}"#, "[2 3]|[b c]|[1 2]"),
        .renders("[{{ slice (list) }}]", "[<no value>]", "slicing an empty list gives nil"),
        .fails("{{ slice .username 1 2 }}", .execute, "Sprig's slice rejects strings"),
        .fails("{{ slice (list 1 2) 1 5 }}", .execute),

        // call: nothing in a template evaluates to a function
        .fails(#"{{ call .username "x" }}"#, .execute),
    ]

    @Test("builtins", arguments: cases)
    func builtin(_ row: RenderCase) {
        row.check()
    }
}
