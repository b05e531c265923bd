import SecretTemplate
import Testing

/// The function map is part of the contract: the README lists exactly these names.
@Suite("Function catalog")
struct FunctionCatalogTests {
    @Test("every supported function is defined", arguments: RenderCase.allFunctionNames)
    func defined(_ name: String) throws {
        // Inside a false branch the call is parsed (which checks the name) but never run.
        let output = try TemplateRenderer.testing().render(name: "catalog", template: "{{ if false }}{{ \(name) }}{{ end }}ok", values: [:])
        #expect(output == Array("ok".utf8))
    }

    @Test("unsupported Sprig functions are rejected at parse time", arguments: RenderCase.unsupportedFunctionNames)
    func undefined(_ name: String) {
        do {
            _ = try TemplateRenderer.testing().render(name: "catalog", template: "{{ if false }}{{ \(name) }}{{ end }}", values: [:])
            Issue.record("\(name) should not be defined")
        } catch {
            #expect(error.phase == .parse)
            #expect(error.message == "function \"\(name)\" not defined")
        }
    }
}

extension RenderCase {
    /// Every function a template can call: Go's builtins and Sprig's generic functions minus
    /// `env`, `expandenv` and `getHostByName`.
    static let allFunctionNames: [String] = """
        abbrev abbrevboth add add1 add1f addf adler32sum all and any append atoi b32dec b32enc b64dec b64enc
        base bcrypt biggest call camelcase cat ceil chunk clean coalesce compact concat contains deepCopy
        deepEqual default dict dig dir div divf empty eq ext fail first float64 floor fromJson ge get gt has
        hasKey hasPrefix hasSuffix hello html htpasswd indent index initial initials int int64 isAbs join js
        kebabcase keys kindIs kindOf last le len list lower lt max maxf merge mergeOverwrite min minf mod mul
        mulf mustAppend mustChunk mustCompact mustDeepCopy mustFirst mustFromJson mustHas mustInitial mustLast
        mustMerge mustMergeOverwrite mustPrepend mustPush mustRegexFind mustRegexFindAll mustRegexMatch
        mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustRest mustReverse mustSlice mustToJson
        mustToPrettyJson mustToRawJson mustUniq mustWithout ne nindent nospace not omit or osBase osClean osDir
        osExt osIsAbs pick pluck plural prepend print printf println push quote randAlpha randAlphaNum randAscii
        randBytes randInt randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll
        regexReplaceAllLiteral regexSplit repeat replace rest reverse round seq set sha1sum sha256sum sha512sum
        shuffle slice snakecase sortAlpha split splitList splitn squote sub subf substr swapcase ternary title
        toDecimal toJson toPrettyJson toRawJson toString toStrings trim trimAll trimPrefix trimSuffix trimall
        trunc tuple typeIs typeIsLike typeOf uniq unset until untilStep untitle upper urlJoin urlParse urlquery
        uuidv4 values without wrap wrapWith
        """.split(whereSeparator: \.isWhitespace).map(String.init)
}

extension RenderCase {
    /// Sprig functions that are not available: the three the controller removes, and those
    /// this module does not implement (clock, time-zone, semver, certificate and AES helpers).
    static let unsupportedFunctionNames: [String] = """
        env expandenv getHostByName
        now date dateInZone date_in_zone dateModify date_modify mustDateModify must_date_modify toDate mustToDate
        unixEpoch ago duration durationRound htmlDate htmlDateInZone
        semver semverCompare
        genPrivateKey genCA genCAWithKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
        genSignedCertWithKey buildCustomCert derivePassword encryptAES decryptAES
        """.split(whereSeparator: \.isWhitespace).map(String.init)
}
