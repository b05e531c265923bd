/// Sprig's regular-expression functions (`regex.go`) over the Go-compatible engine in
/// `Regex/`. The plain variants panic on an invalid pattern (`regexp.MustCompile`), the
/// `must` variants return the error; `regexMatch` alone swallows it and returns false.
enum SprigRegex {
    static let functions: [String: TemplateFunction] = [
        "regexMatch": TemplateFunction([.string, .string]) { context, a throws(TemplateFailure) in
            guard let re = try? GoRegexp(a[0].str) else { return .bool(false) }
            return .bool(try re.matches(a[1].str, context))
        },
        "mustRegexMatch": TemplateFunction([.string, .string]) { context, a throws(TemplateFailure) in
            .bool(try compile(a[0].str, must: true).matches(a[1].str, context))
        },
        "regexFindAll": TemplateFunction([.string, .string, .int]) { context, a throws(TemplateFailure) in
            try findAll(a, must: false, context)
        },
        "mustRegexFindAll": TemplateFunction([.string, .string, .int]) { context, a throws(TemplateFailure) in
            try findAll(a, must: true, context)
        },
        "regexFind": TemplateFunction([.string, .string]) { context, a throws(TemplateFailure) in
            .string(try compile(a[0].str, must: false).firstMatch(a[1].str, context))
        },
        "mustRegexFind": TemplateFunction([.string, .string]) { context, a throws(TemplateFailure) in
            .string(try compile(a[0].str, must: true).firstMatch(a[1].str, context))
        },
        "regexReplaceAll": TemplateFunction([.string, .string, .string]) { context, a throws(TemplateFailure) in
            .string(try compile(a[0].str, must: false).replaceAll(a[1].str, with: a[2].str, literal: false, context))
        },
        "mustRegexReplaceAll": TemplateFunction([.string, .string, .string]) { context, a throws(TemplateFailure) in
            .string(try compile(a[0].str, must: true).replaceAll(a[1].str, with: a[2].str, literal: false, context))
        },
        "regexReplaceAllLiteral": TemplateFunction([.string, .string, .string]) { context, a throws(TemplateFailure) in
            .string(try compile(a[0].str, must: false).replaceAll(a[1].str, with: a[2].str, literal: true, context))
        },
        "mustRegexReplaceAllLiteral": TemplateFunction([.string, .string, .string]) { context, a throws(TemplateFailure) in
            .string(try compile(a[0].str, must: true).replaceAll(a[1].str, with: a[2].str, literal: true, context))
        },
        "regexSplit": TemplateFunction([.string, .string, .int]) { context, a throws(TemplateFailure) in
            try split(a, must: false, context)
        },
        "mustRegexSplit": TemplateFunction([.string, .string, .int]) { context, a throws(TemplateFailure) in
            try split(a, must: true, context)
        },
        "regexQuoteMeta": TemplateFunction([.string]) { _, a in .string(GoRegexp.quoteMeta(a[0].str)) },
    ]

    /// Compiles a pattern. The messages keep Go's wording but never quote the pattern,
    /// which may have come from a secret.
    private static func compile(_ pattern: [UInt8], must: Bool) throws(TemplateFailure) -> GoRegexp {
        do throws(RegexError) {
            return try GoRegexp(pattern)
        } catch {
            throw functionError(must ? error.message : "regexp: Compile: \(error.message)")
        }
    }

    private static func findAll(_ a: [Value], must: Bool, _ context: CallContext) throws(TemplateFailure) -> Value {
        let re = try compile(a[0].str, must: must)
        guard let matches = try re.findAll(a[1].str, limit: Int(a[2].integer), context) else {
            return .slice(.nilSlice(of: .string))
        }
        return .stringList(matches)
    }

    private static func split(_ a: [Value], must: Bool, _ context: CallContext) throws(TemplateFailure) -> Value {
        let re = try compile(a[0].str, must: must)
        guard let parts = try re.split(a[1].str, limit: Int(a[2].integer), context) else {
            return .slice(.nilSlice(of: .string))
        }
        return .stringList(parts)
    }
}
