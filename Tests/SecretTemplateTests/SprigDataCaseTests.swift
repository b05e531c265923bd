import SecretTemplate
import Testing

/// Sprig's lists, dicts, defaults, JSON, math, conversions, paths, reflection and URLs.
@Suite("Sprig data functions")
struct SprigDataCaseTests {
    static let cases: [RenderCase] = [
        // Lists
        .renders(#"{{ list 1 "a" nil | toJson }}"#, #"[1,"a",null]"#),
        .renders("{{ list 1 2 3 | first }}|{{ list 1 2 3 | last }}|{{ list 1 2 3 | rest | toJson }}|{{ list 1 2 3 | initial | toJson }}", "1|3|[2,3]|[1,2]"),
        .renders("[{{ list | first }}]|{{ list | rest | toJson }}", "[<no value>]|null", "first of an empty list is nil; rest is a nil slice"),
        .renders("{{ append (list 1) 2 | toJson }}|{{ prepend (list 1) 0 | toJson }}|{{ concat (list 1) (list 2 3) | toJson }}|{{ concat | toJson }}", "[1,2]|[0,1]|[1,2,3]|null"),
        .renders(#"{{ reverse (list 1 2 3) | toJson }}|{{ uniq (list 1 1 "1" 2) | toJson }}|{{ without (list 1 2 3) 2 | toJson }}"#, #"[3,2,1]|[1,"1",2]|[1,3]"#, "uniq compares with reflect.DeepEqual"),
        .renders(#"{{ has 2 (list 1 2) }} {{ has "2" (list 1 2) }} {{ has 1 nil }}"#, "true false false"),
        .renders(#"{{ compact (list 0 1 "" "a" nil (list)) | toJson }}|{{ chunk 2 (list 1 2 3) | toJson }}"#, #"[1,"a"]|[[1,2],[3]]"#),
        .renders(#"{{ sortAlpha (list "b" "B" "a" "10" "9") | toJson }}|{{ toStrings (list 1 nil "x") | toJson }}"#, #"["10","9","B","a","b"]|["1","x"]"#),
        .renders(#"{{ $l := splitList "," "c,a,b" }}{{ $_ := sortAlpha $l }}{{ $l }}"#, "[a b c]", "sortAlpha sorts a []string in place"),
        .fails("{{ first 5 }}", .execute),
        .fails("{{ append .nope 1 }}", .execute, "reflect.TypeOf(nil).Kind() dereferences nil"),
        .fails("{{ chunk 0 (list 1) }}", .execute),

        // Dicts
        .renders(#"{{ dict "a" 1 "b" | toJson }}|{{ dict 1 2 true "x" | toJson }}"#, #"{"a":1,"b":""}|{"1":2,"true":"x"}"#, "an odd final key gets \"\"; keys are stringified"),
        .renders(#"{{ get (dict "a" 1) "a" }}|[{{ get (dict) "x" }}]|{{ hasKey (dict "a" 1) "a" }}|{{ hasKey (dict) "a" }}"#, "1|[]|true|false"),
        .renders(#"{{ $d := dict }}{{ $_ := set $d "k" "v" }}{{ $d.k }}|{{ unset (dict "a" 1 "b" 2) "a" | toJson }}"#, #"v|{"b":2}"#, "set mutates the dict"),
        .renders(#"{{ keys (dict "b" 1 "a" 2) | sortAlpha | join "," }}|{{ values (dict "b" "x" "a" "y") | sortAlpha | join "," }}"#, "a,b|x,y"),
        .renders(#"{{ pick (dict "a" 1 "b" 2) "b" "z" | toJson }}|{{ omit (dict "a" 1 "b" 2) "a" | toJson }}|{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) | toJson }}"#, #"{"b":2}|{"b":2}|[1,3]"#),
        .renders(#"{{ merge (dict "a" 1 "e" "") (dict "a" 2 "b" 3 "e" "x") | toJson }}"#, #"{"a":1,"b":3,"e":"x"}"#, "merge keeps non-empty destination values"),
        .renders(#"{{ mergeOverwrite (dict "a" 1 "n" (dict "x" 1)) (dict "a" 2 "n" (dict "y" 2)) | toJson }}"#, #"{"a":2,"n":{"x":1,"y":2}}"#, "nested dicts merge recursively"),
        .renders(#"{{ dig "a" "b" "def" (dict "a" (dict "b" "found")) }}|{{ dig "x" "y" "def" (dict) }}"#, "found|def"),
        .fails("{{ keys . }}", .execute, "the data is map[string]string, not a dict"),
        .fails(#"{{ set nil "k" "v" }}"#, .execute, "assignment to entry in nil map"),

        // Defaults and logic
        .renders(#"{{ .empty | default "d" }}|{{ .username | default "d" }}|{{ default "d" 0 }}|{{ default "d" (list) }}|{{ default "d" .zero }}|{{ .nope | default "x" }}"#, "d|admin|d|d|0|x"),
        .renders("{{ empty .empty }} {{ empty .zero }} {{ empty (dict) }} {{ empty false }} {{ empty .nope }} {{ empty (list 0) }}", "true false true true true false"),
        .renders(#"{{ coalesce .empty .nope "c" }}|{{ coalesce "" 0 }}"#, "c|<no value>"),
        .renders(#"{{ ternary "y" "n" true }}|{{ false | ternary "y" "n" }}"#, "y|n"),
        .renders(#"{{ all 1 "a" }} {{ all 1 "" }} {{ any 0 "" "x" }} {{ any }}"#, "true false true false"),
        .fails(#"{{ fail "password is required" }}"#, .execute),

        // JSON
        .renders("{{ toJson .password }}", #""s3cr3t\u003c\u0026\u003e\"'pa$$""#, "HTML characters are escaped"),
        .renders(#"{{ toRawJson (dict "h" "<&>") }}"#, #"{"h":"<&>"}"#),
        .renders(#"{{ dict "a" (list 1) "b" (dict) | toPrettyJson }}"#, "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}"),
        .renders("{{ fromJson .json | toJson }}", #"{"n":1000000,"nested":{"f":1.5},"ok":true,"tags":["x","y"],"user":"bob"}"#),
        .renders("{{ (fromJson .json).n }}|{{ (fromJson .json).tags }}|{{ typeOf (fromJson .json).n }}", "1e+06|[x y]|float64", "JSON numbers are float64"),
        .renders(#"[{{ fromJson "{bad" }}]|{{ fromJson "[1,2]" }}|[{{ fromJson "null" }}]"#, "[<no value>]|[1 2]|[<no value>]"),
        .fails(#"{{ mustFromJson "{bad" }}"#, .execute),
        .renders(#"[{{ float64 "NaN" | toJson }}]"#, "[]", "an unsupported value makes toJson return \"\""),
        .fails(#"{{ float64 "NaN" | mustToJson }}"#, .execute),
        .renders("{{ toJson 1e21 }} {{ toJson 1e20 }} {{ toJson 0.0000001 }} {{ toJson 2.0 }}", "1e+21 100000000000000000000 1e-7 2"),

        // Math and conversions
        .renders(#"{{ add 1 2 "3" }}|{{ add .num 1 }}|{{ sub 10 3 }}|{{ mul 2 3 4 }}|{{ div 7 2 }}|{{ div -7 2 }}|{{ mod -7 3 }}"#, "6|43|7|24|3|-3|-1", "integer division truncates toward zero"),
        .renders(#"{{ max 1 5 3 }}|{{ min "4" 2 }}|{{ add1 .num }}|{{ add "x" 1 }}|{{ add 1.9 1 }}"#, "5|2|43|1|2", "cast.ToInt64: bad strings are 0, floats truncate"),
        .fails("{{ div 1 0 }}", .execute),
        .renders("{{ floor 1.7 }} {{ ceil 1.2 }} {{ round 3.14159 2 }} {{ addf 0.1 0.2 }} {{ divf 10 4 }} {{ mulf 1.5 2 }} {{ subf 5 0.5 }}", "1 2 3.14 0.3 2.5 3 4.5", "float arithmetic is done in decimal"),
        .renders("{{ maxf 1 2.5 }} {{ minf 1 2.5 }} {{ divf 1 3 }}", "2.5 1 0.3333333333333333"),
        .renders(#"{{ atoi "12" }}|{{ atoi "1.0" }}|{{ int "1.0" }}|{{ int "0x10" }}|{{ int "abc" }}|{{ int64 "-5" }}|{{ float64 "1.5" }}"#, "12|0|1|16|0|-5|1.5"),
        .renders(#"{{ typeOf (add 1 1) }} {{ typeOf (atoi "1") }} {{ typeOf (int "1") }} {{ typeOf (float64 1) }} {{ typeOf 'x' }}"#, "int64 int int float64 int"),
        .renders("{{ until 3 | toJson }}|{{ untilStep 0 6 2 | toJson }}|{{ seq 3 }}|{{ seq 5 1 }}|{{ toDecimal \"0777\" }}|{{ randInt 1 2 }}", "[0,1,2]|[0,2,4]|1 2 3|5 4 3 2 1|511|1"),

        // Paths, reflection, URLs
        .renders(#"{{ base "/a/b.txt" }}|{{ dir "/a/b.txt" }}|{{ ext "x.tar.gz" }}|{{ clean "a//b/../c" }}|{{ isAbs "/x" }}|{{ osBase "a/b" }}"#, "b.txt|/a|.gz|a/c|true|b"),
        .renders(#"{{ typeOf 1 }} {{ kindOf (list) }} {{ kindIs "map" (dict) }} {{ typeIs "string" "x" }} {{ typeIsLike "int" 1 }} {{ deepEqual (dict "a" 1) (dict "a" 1) }}"#, "int slice true true true true"),
        .renders(#"{{ $u := urlParse "https://u:p@h.example:8443/x%20y?q=1#f" }}{{ $u.hostname }}|{{ $u.userinfo }}|{{ $u.path }}|{{ $u.query }}"#, "h.example|u:p|/x y|q=1"),
        .renders(#"{{ urlJoin (dict "scheme" "https" "host" "h" "path" "/a b" "userinfo" "u:p") }}"#, "https://u:p@h/a%20b"),
        .fails(#"{{ urlParse "%zz" }}"#, .execute),
    ]

    @Test("sprig data", arguments: cases)
    func data(_ row: RenderCase) {
        row.check()
    }
}
