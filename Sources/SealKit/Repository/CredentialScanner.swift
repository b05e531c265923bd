/// Finds well-known credential formats and private keys in any text file. Each detector keys on
/// a fixed prefix the issuer chose precisely so leaks can be found (`ghp_`, `AKIA`, `xoxb-`), then
/// checks length, alphabet and word boundaries, so a base64 ciphertext or a prose mention does
/// not fire: false positives teach people to skip the hook.
///
/// Hand-written matchers rather than regular expressions: linear in the file size, no
/// backtracking, and fast enough for a pre-commit hook over a whole repository.
enum CredentialScanner {
    /// A credential at `offset` (bytes), with a hint that is safe to print: the issuer's public
    /// prefix and the length, never a character of the secret part.
    struct Match: Equatable {
        var rule: FindingRule
        var offset: Int
        var message: String
    }

    /// A token recognised by prefix, alphabet and length.
    private struct TokenPattern: Sendable {
        var rule: FindingRule
        var what: String
        var prefixes: [String]
        var alphabet: @Sendable (UInt8) -> Bool
        var length: ClosedRange<Int>
        /// A further condition on the part after the prefix.
        var accept: @Sendable (ArraySlice<UInt8>) -> Bool = { _ in true }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    private static func isUpperOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
    }

    private static func isBase64(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        firstIndex(of: Array(needle.utf8), in: haystack, from: haystack.startIndex) != nil
    }

    private static let patterns: [TokenPattern] = [
        TokenPattern(rule: GuardRules.awsAccessKeyID, what: "AWS access key ID", prefixes: ["AKIA", "ASIA", "ABIA", "ACCA"],
                     alphabet: isUpperOrDigit, length: 16 ... 16,
                     // AWS's documentation keys (AKIAIOSFODNN7EXAMPLE) are everywhere in examples.
                     accept: { !contains($0, "EXAMPLE") }),
        TokenPattern(rule: GuardRules.githubToken, what: "GitHub token", prefixes: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
                     alphabet: isAlphanumeric, length: 36 ... 36),
        TokenPattern(rule: GuardRules.githubToken, what: "GitHub fine-grained token", prefixes: ["github_pat_"],
                     alphabet: { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }, length: 80 ... 90),
        TokenPattern(rule: GuardRules.gitlabToken, what: "GitLab personal access token", prefixes: ["glpat-"],
                     alphabet: { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") },
                     length: 20 ... 80),
        TokenPattern(rule: GuardRules.slackToken, what: "Slack token", prefixes: ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-"],
                     alphabet: { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }, length: 20 ... 255,
                     // Real tokens start with the numeric team or user id: "xoxb-your-token" is prose.
                     accept: { $0.first.map(isDigit) ?? false }),
        TokenPattern(rule: GuardRules.slackToken, what: "Slack incoming-webhook URL", prefixes: ["https://hooks.slack.com/services/"],
                     alphabet: { isAlphanumeric($0) || $0 == UInt8(ascii: "/") }, length: 40 ... 120,
                     accept: { $0.first == UInt8(ascii: "T") && $0.filter { $0 == UInt8(ascii: "/") }.count == 2 }),
        TokenPattern(rule: GuardRules.googleAPIKey, what: "Google API key", prefixes: ["AIza"],
                     alphabet: { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }, length: 35 ... 35),
        TokenPattern(rule: GuardRules.stripeSecretKey, what: "Stripe live key", prefixes: ["sk_live_", "rk_live_"],
                     alphabet: isAlphanumeric, length: 24 ... 247),
        TokenPattern(rule: GuardRules.npmToken, what: "npm access token", prefixes: ["npm_"],
                     alphabet: isAlphanumeric, length: 36 ... 36),
    ]

    /// Every credential in `bytes`, in file order.
    static func scan(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        for pattern in patterns {
            for prefix in pattern.prefixes {
                let needle = Array(prefix.utf8)
                var from = bytes.startIndex
                while let start = firstIndex(of: needle, in: bytes[...], from: from) {
                    from = start + 1
                    // Inside a longer word (a base64 blob, an identifier) it is not a token.
                    if start > 0, isBase64(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: "_") { continue }
                    let tailStart = start + needle.count
                    var end = tailStart
                    while end < bytes.count, end - tailStart <= pattern.length.upperBound, pattern.alphabet(bytes[end]) { end += 1 }
                    let length = end - tailStart
                    guard pattern.length.contains(length) else { continue }
                    if end < bytes.count, isAlphanumeric(bytes[end]) { continue }
                    guard pattern.accept(bytes[tailStart ..< end]) else { continue }
                    matches.append(Match(rule: pattern.rule, offset: start,
                                         message: "\(pattern.what) (\(prefix)…, \(needle.count + length) characters)"))
                }
            }
        }
        matches += awsSecretKeys(bytes) + privateKeys(bytes) + urlCredentials(bytes)
        return matches.sorted { $0.offset < $1.offset }
    }

    /// A 40-character secret access key right after a keyword naming it: the key alone is
    /// indistinguishable from any base64 text.
    private static func awsSecretKeys(_ bytes: [UInt8]) -> [Match] {
        let lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var matches: [Match] = []
        for keyword in ["aws_secret_access_key", "aws-secret-access-key", "secretaccesskey", "aws_secret_key"] {
            let needle = Array(keyword.utf8)
            var from = 0
            while let start = firstIndex(of: needle, in: lowered[...], from: from) {
                from = start + 1
                var index = start + needle.count
                func skip(_ allowed: (UInt8) -> Bool) { while index < bytes.count, allowed(bytes[index]) { index += 1 } }
                skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") || bytes[index] == UInt8(ascii: ":") else { continue }
                index += 1
                skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
                let valueStart = index
                skip(isBase64)
                guard index - valueStart == 40, index == bytes.count || bytes[index] != UInt8(ascii: "=") else { continue }
                guard !contains(bytes[valueStart ..< index], "EXAMPLE") else { continue }
                matches.append(Match(rule: GuardRules.awsSecretAccessKey, offset: valueStart,
                                     message: "AWS secret access key after \(String(decoding: bytes[start ..< start + needle.count], as: UTF8.self)) (40 characters)"))
            }
        }
        return matches
    }

    /// PEM private key blocks with a body (a bare `-----BEGIN PRIVATE KEY-----` in prose does
    /// not count), and the base64 of one (`tls.key: LS0tLS1CRUdJTi…` in a ConfigMap or Secret).
    private static func privateKeys(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        let begin = Array("-----BEGIN ".utf8)
        var from = 0
        while let start = firstIndex(of: begin, in: bytes[...], from: from) {
            from = start + 1
            let headerEnd = min(bytes.count, start + begin.count + 40)
            guard let close = firstIndex(of: Array("-----".utf8), in: bytes[(start + begin.count) ..< headerEnd], from: start + begin.count)
            else { continue }
            let label = String(decoding: bytes[(start + begin.count) ..< close], as: UTF8.self)
            guard label.hasSuffix("PRIVATE KEY") || label.hasSuffix("PRIVATE KEY BLOCK") else { continue }
            guard hasPEMBody(bytes, from: close + 5) else { continue }
            matches.append(Match(rule: GuardRules.privateKey, offset: start, message: "a PEM private key (-----BEGIN \(label)-----)"))
        }
        let encoded = Array("LS0tLS1CRUdJTi".utf8)  // base64 of "-----BEGIN"
        from = 0
        while let start = firstIndex(of: encoded, in: bytes[...], from: from) {
            from = start + 1
            if start > 0, isBase64(bytes[start - 1]) { continue }
            var end = start
            while end < bytes.count, end - start < 80, isBase64(bytes[end]) { end += 1 }
            let usable = (end - start) / 4 * 4
            guard let decoded = try? Base64.decode(String(decoding: bytes[start ..< start + usable], as: UTF8.self)) else { continue }
            let text = String(decoding: decoded, as: UTF8.self)
            guard let header = text.split(separator: "\n").first, header.contains("PRIVATE KEY") else { continue }
            matches.append(Match(rule: GuardRules.privateKey, offset: start,
                                 message: "a base64-encoded PEM private key (\(header.prefix(48)))"))
        }
        return matches
    }

    /// Whether a PEM body follows a header ending at `start`: after line breaks (real, or `\n`
    /// escapes inside a JSON string) and at most three `Name: value` header lines
    /// (`Proc-Type`, `DEK-Info`), a line opening with 40 base64 characters.
    private static func hasPEMBody(_ bytes: [UInt8], from start: Int) -> Bool {
        var index = start
        func skipBreaks() {
            while index < bytes.count {
                if [UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains(bytes[index]) {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "n") {
                    index += 2
                } else {
                    return
                }
            }
        }
        skipBreaks()
        for _ in 0 ..< 3 {
            var end = index
            var hasColon = false
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n"), bytes[end] != UInt8(ascii: "\\"), end - index < 200 {
                if bytes[end] == UInt8(ascii: ":") { hasColon = true }
                end += 1
            }
            guard hasColon else { break }
            index = end
            skipBreaks()
        }
        var run = 0
        while index + run < bytes.count, isBase64(bytes[index + run]) { run += 1 }
        return run >= 40
    }

    /// `scheme://user:password@host` with a password that is not a placeholder, on a host that
    /// is not a documentation or loopback one.
    private static func urlCredentials(_ bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        let separator = Array("://".utf8)
        func isStop(_ byte: UInt8) -> Bool {
            byte <= 0x20 || [UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"),
                             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"), UInt8(ascii: "@")].contains(byte)
        }
        var from = 0
        while let start = firstIndex(of: separator, in: bytes[...], from: from) {
            from = start + 1
            var schemeStart = start
            while schemeStart > 0, isAlphanumeric(bytes[schemeStart - 1]) || bytes[schemeStart - 1] == UInt8(ascii: "+")
                || bytes[schemeStart - 1] == UInt8(ascii: "-") || bytes[schemeStart - 1] == UInt8(ascii: ".") { schemeStart -= 1 }
            guard start - schemeStart >= 2, bytes[schemeStart] >= 0x41 else { continue }
            var index = start + separator.count
            let userStart = index
            while index < bytes.count, !isStop(bytes[index]), bytes[index] != UInt8(ascii: ":") { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":"), index > userStart else { continue }
            let user = Array(bytes[userStart ..< index])
            index += 1
            let passwordStart = index
            while index < bytes.count, !isStop(bytes[index]) { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "@") else { continue }
            let password = Array(bytes[passwordStart ..< index])
            index += 1
            let hostStart = index
            while index < bytes.count, isAlphanumeric(bytes[index]) || bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let host = String(decoding: bytes[hostStart ..< index], as: UTF8.self).lowercased()
            guard !host.isEmpty, !isPlaceholder(password, user: user), !isDocumentationHost(host) else { continue }
            let scheme = String(decoding: bytes[schemeStart ..< start], as: UTF8.self)
            matches.append(Match(rule: GuardRules.urlCredentials, offset: schemeStart,
                                 message: "\(scheme):// URL with a password for host \(host)"))
        }
        return matches
    }

    private static let placeholderPasswords: Set<String> = [
        "password", "passwd", "pass", "pwd", "secret", "changeme", "change-me", "example", "token", "redacted", "hidden",
        "your-password", "yourpassword", "mypassword", "pa55word", "test", "xxx", "xxxx", "****",
    ]

    private static func isPlaceholder(_ password: [UInt8], user: [UInt8]) -> Bool {
        guard password.count >= 4, password != user else { return true }
        if let first = password.first, [UInt8(ascii: "$"), UInt8(ascii: "{"), UInt8(ascii: "<"), UInt8(ascii: "%"), UInt8(ascii: "[")].contains(first) {
            return true
        }
        if Set(password).count == 1 { return true }
        return placeholderPasswords.contains(String(decoding: password, as: UTF8.self).lowercased())
    }

    private static func isDocumentationHost(_ host: String) -> Bool {
        let exact: Set<String> = ["localhost", "127.0.0.1", "0.0.0.0", "example.com", "example.org", "example.net", "host", "hostname"]
        if exact.contains(host) { return true }
        return [".example.com", ".example.org", ".example.net", ".example", ".test", ".invalid", ".localhost"].contains { host.hasSuffix($0) }
    }

    /// The first occurrence of `needle` in `haystack` at or after `from`.
    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, haystack.endIndex - needle.count >= from else { return nil }
        var index = max(from, haystack.startIndex)
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}
