import SecretTemplate
import Testing

/// Sprig's string, encoding, digest and regular-expression functions.
@Suite("Sprig text functions")
struct SprigTextCaseTests {
    static let cases: [RenderCase] = [
        // Encodings
        .renders("{{ .password | b64enc }}", "czNjcjN0PCY+IidwYSQk"),
        .renders("{{ .b64 | b64dec }}", "secret"),
        .renders(#"{{ b64dec "%%%" }}|{{ b64dec "YWJj\nZA==" }}"#, "illegal base64 data at input byte 0|abcd", "decoding errors become the result; newlines are ignored"),
        .renders(#"{{ b32enc "hello" }}|{{ b32dec "NBSWY3DP" }}|{{ b32dec "NBSWY3D" }}"#, "NBSWY3DP|hello|illegal base32 data at input byte 0"),

        // Case
        .renders("{{ upper .unicode }}|{{ lower \"ÀÉ\" }}", "GRÜßE 世界|àé", "simple case mapping: ß has no single-rune upper case"),
        .renders(#"{{ title "hello wide-world o'neil" }}"#, "Hello Wide-World O'Neil", "strings.Title: any non-letter separates words"),
        .renders(#"{{ untitle "Hello World" }}|{{ swapcase "Hello World" }}"#, "hello world|hELLO wORLD"),
        .renders(#"{{ snakecase "FooBarHTTPServer" }}|{{ kebabcase "FooBar" }}|{{ camelcase "foo_bar" }}"#, "foo_bar_http_server|foo-bar|FooBar"),

        // Trimming and replacing
        .renders("[{{ trim \"  \\t x y \\n\" }}]", "[x y]"),
        .renders(#"{{ trimAll "-" "--a-b--" }}|{{ trimPrefix "ab" "abc" }}|{{ trimSuffix "bc" "abc" }}|{{ trimPrefix "x" "abc" }}"#, "a-b|c|a|abc"),
        .renders(#"{{ replace "a" "b" "banana" }}|{{ replace "" "-" "ab" }}|{{ .password | replace "$" "\\$" }}"#, #"bbnbnb|-a-b-|s3cr3t<&>"'pa\$\$"#),
        .renders(#"{{ nospace " a b\tc " }}"#, "abc"),

        // Quoting
        .renders(#"{{ quote "a" 1 nil }}|{{ quote .multi }}|[{{ quote .nope }}]"#, "\"a\" \"1\"|\"line one\\nline two\"|[]", "nil arguments are skipped"),
        .renders(#"{{ squote "a" 1 }}|[{{ squote nil }}]"#, "'a' '1'|[]"),

        // Searching
        .renders(#"{{ contains "cr3" .password }} {{ hasPrefix "s3" .password }} {{ hasSuffix "$$" .password }} {{ contains "" .empty }}"#, "true true true true"),

        // Layout
        .renders(#"{{ indent 2 "a\nb" }}|{{ nindent 2 "a" }}"#, "  a\n  b|\n  a"),
        .renders("key:{{ .multi | nindent 4 }}", "key:\n    line one\n    line two"),
        .renders(#"{{ wrap 5 "hello world foo" }}|{{ wrapWith 3 "|" "abcdef" }}"#, "hello\nworld\nfoo|abc|def"),
        .renders(#"{{ abbrev 5 "hello world" }}|{{ abbrev 3 "hello" }}|{{ abbrevboth 5 10 "1234567890abcdef" }}"#, "he...|hello|...6789..."),
        .renders(#"{{ initials "John Ronald Tolkien" }}"#, "JRT"),
        .renders(#"{{ plural "one" "many" 1 }} {{ plural "one" "many" 0 }}"#, "one many"),

        // Slicing and repeating
        .renders(#"{{ repeat 3 "ab" }}|{{ repeat 0 "x" }}"#, "ababab|"),
        .fails(#"{{ repeat -1 "x" }}"#, .execute, "strings: negative Repeat count"),
        .fails(#"{{ repeat (add 1 1) "x" }}"#, .execute, "add returns int64, which is not assignable to int"),
        .renders(#"{{ substr 1 3 "abcdef" }}|{{ substr -1 2 "abcdef" }}|{{ substr 2 -1 "abcdef" }}|{{ substr 4 99 "abcdef" }}"#, "bc|ab|cdef|ef"),
        .rendersBytes(#"{{ substr 0 3 .unicode }}"#, [0x47, 0x72, 0xC3], "substr works on bytes and may split a rune"),
        .fails(#"{{ substr 3 1 "abc" }}"#, .execute),
        .renders(#"{{ trunc 3 "abcdef" }}|{{ trunc -2 "abcdef" }}|{{ trunc 10 "ab" }}|{{ trunc -10 "ab" }}"#, "abc|ef|ab|ab"),

        // Splitting and joining
        .renders(#"{{ split "," "a,b" }}"#, "map[_0:a _1:b]", "split returns a map keyed _0, _1, ..."),
        .renders(#"{{ $p := split "." "x.y" }}{{ $p._1 }}"#, "y"),
        .renders(#"{{ splitList "," .csv | len }}|{{ splitList "," "" | len }}|{{ splitn "," 2 "a,b,c" }}"#, "3|1|map[_0:a _1:b,c]"),
        .renders(#"{{ join "-" (list 1 "a" nil) }}|{{ join "+" (splitList "," .csv) }}|{{ join "," "solo" }}"#, "1-a|a+b+c|solo"),
        .renders(#"{{ cat "a" 1 nil (list 2) }}"#, "a 1 [2]"),
        .renders(#"{{ toString 1.5 }}|{{ toString nil }}|{{ toString (list 1) }}"#, "1.5|<nil>|[1]"),
        .renders("{{ hello }}", "Hello!"),
        .renders(#"{{ shuffle "abc" | len }}|{{ randAlpha 5 | len }}|{{ randNumeric 4 | len }}|{{ randAscii 3 | len }}|{{ randAlphaNum 0 }}"#, "3|5|4|3|", "random functions: only the length is predictable"),

        // Digests
        .renders(#"{{ sha256sum "" }}"#, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        .renders(#"{{ sha1sum "abc" }}"#, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        .renders(#"{{ sha512sum "abc" }}"#, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        .renders(#"{{ adler32sum "Wikipedia" }}"#, "300286872"),
        .renders("{{ sha256sum .password }}", "8aadf26af7039f03420db98d36e14b76fa92d54dd759d8c3b92ad458ebe05087"),
        .renders(#"{{ htpasswd "a:b" "x" }}"#, "invalid username: a:b"),

        // Regular expressions (RE2 semantics)
        .renders(#"{{ regexMatch "^[0-9]+$" .port }} {{ regexMatch "[" "x" }} {{ regexMatch "(?i)^ADMIN$" .username }}"#, "true false true", "an invalid pattern is just no match"),
        .fails(#"{{ mustRegexMatch "[" "x" }}"#, .execute),
        .fails(#"{{ regexFind "(" "x" }}"#, .execute, "non-must variants panic on invalid patterns"),
        .renders(#"{{ regexFind "[0-9]+" "abc123def456" }}|{{ regexFindAll "[0-9]+" "a1b22c333" 2 | toJson }}|{{ regexFindAll "z" "abc" -1 | toJson }}"#, #"123|["1","22"]|null"#),
        .renders(#"{{ regexReplaceAll "(\\w+)@(\\w+)" "bob@example" "${2}:${1}" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}"#, "example:bob|---", "$1W names group \"1W\", which does not exist"),
        .renders(#"{{ regexReplaceAllLiteral "a" "banana" "$1" }}|{{ regexReplaceAll "a*" "baaab" "-" }}"#, "b$1n$1n$1|-b-b-"),
        .renders(#"{{ regexSplit "\\s+" "a  b c" -1 | toJson }}|{{ regexSplit "," "a,b,c" 2 | toJson }}"#, #"["a","b","c"]|["a","b,c"]"#),
        .renders(#"{{ regexQuoteMeta "1.5*[x]" }}"#, #"1\.5\*\[x\]"#),
        .renders(#"{{ regexMatch "^a$" "a\n" }} {{ regexMatch "(?m)^a$" "a\n" }} {{ regexFind "(?s)a.b" "a\nb" | len }}"#, "false true 3", "$ matches only at the end of text without (?m)"),
        .renders(#"{{ regexMatch "\\d" "\u0663" }} {{ regexMatch "\\w" "é" }}"#, "false false", "\\d and \\w are ASCII-only in RE2"),
        .renders(#"{{ regexFind "x{2,3}?" "xxxx" }}|{{ regexFind "a|ab" "ab" }}|{{ regexFind "(a+)(b*)" "aaab" }}"#, "xx|a|aaab", "leftmost-first, not longest, alternation"),
        .renders(#"{{ regexReplaceAll "(?P<first>\\w+) (?P<last>\\w+)" "John Smith" "$last, $first" }}"#, "Smith, John"),
        .renders(#"{{ regexMatch "a{,2}" "a{,2}" }} {{ regexMatch "(?i)k" "\u212a" }}"#, "true true", "a malformed repeat is a literal brace; case folding includes the Kelvin sign"),
    ]

    @Test("sprig text", arguments: cases)
    func text(_ row: RenderCase) {
        row.check()
    }

    @Test("backreferences are not RE2 syntax")
    func backreference() {
        RenderCase.fails(#"{{ mustRegexMatch "(a)\\1" "aa" }}"#, .execute).check()
    }
}
