/// The `regexp.Regexp` operations Sprig uses (`MatchString`, `FindString`,
/// `FindAllString`, `ReplaceAllString`, `ReplaceAllLiteralString`, `Split`, `QuoteMeta`),
/// with Go's exact rules for empty matches, `$name` expansion and `Split` limits.
struct GoRegexp {
    private let machine: RegexMachine
    private let captureNames: [[UInt8]]
    private let isEmptyPattern: Bool

    init(_ pattern: [UInt8]) throws(RegexError) {
        let tree = try RegexParser.parse(pattern)
        machine = RegexMachine(program: try RegexProgram(tree))
        captureNames = tree.captureNames
        isEmptyPattern = pattern.isEmpty
    }

    /// Runs the VM, charging the work to `context`.
    private func find(_ s: [UInt8], from: Int, _ context: CallContext) throws(TemplateFailure) -> [Int]? {
        try machine.match(s, from: from) { units throws(TemplateFailure) in try context.charge(units) }
    }

    func matches(_ s: [UInt8], _ context: CallContext) throws(TemplateFailure) -> Bool {
        try find(s, from: 0, context) != nil
    }

    func firstMatch(_ s: [UInt8], _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        guard let m = try find(s, from: 0, context) else { return [] }
        return Array(s[m[0]..<m[1]])
    }

    /// `allMatches`: successive non-overlapping matches; an empty match right after the
    /// previous match is skipped. `limit < 0` means all.
    func allMatches(_ s: [UInt8], limit: Int, _ context: CallContext) throws(TemplateFailure) -> [[Int]] {
        let n = limit < 0 ? s.count + 1 : limit
        var results: [[Int]] = []
        var pos = 0
        var prevMatchEnd = -1
        while results.count < n && pos <= s.count {
            guard let m = try find(s, from: pos, context) else { break }
            var accept = true
            if m[1] == pos {
                // An empty match: never directly after a previous match.
                if m[0] == prevMatchEnd { accept = false }
                let width = pos < s.count ? GoUTF8.decode(s, at: pos).width : 0
                pos = width > 0 ? pos + width : s.count + 1
            } else {
                pos = m[1]
            }
            prevMatchEnd = m[1]
            if accept { results.append(m) }
        }
        return results
    }

    /// `FindAllString`; nil when nothing matches.
    func findAll(_ s: [UInt8], limit: Int, _ context: CallContext) throws(TemplateFailure) -> [[UInt8]]? {
        if limit == 0 { return nil }
        let matches = try allMatches(s, limit: limit, context)
        if matches.isEmpty { return nil }
        return matches.map { Array(s[$0[0]..<$0[1]]) }
    }

    /// `Split`.
    func split(_ s: [UInt8], limit n: Int, _ context: CallContext) throws(TemplateFailure) -> [[UInt8]]? {
        if n == 0 { return nil }
        if !isEmptyPattern && s.isEmpty { return [[]] }
        let matches = try allMatches(s, limit: n, context)
        var parts: [[UInt8]] = []
        var begin = 0
        var end = 0
        for m in matches {
            if n > 0 && parts.count == n - 1 { break }
            end = m[0]
            if m[1] != 0 { parts.append(Array(s[begin..<end])) }
            begin = m[1]
        }
        if end != s.count { parts.append(Array(s[begin...])) }
        return parts
    }

    /// `ReplaceAllString` (`literal == false`, with `$1`/`${name}` expansion) and
    /// `ReplaceAllLiteralString`.
    func replaceAll(_ src: [UInt8], with replacement: [UInt8], literal: Bool, _ context: CallContext) throws(TemplateFailure) -> [UInt8] {
        var out: [UInt8] = []
        var lastMatchEnd = 0
        var searchPos = 0
        while searchPos <= src.count {
            guard let m = try find(src, from: searchPos, context) else { break }
            out.append(contentsOf: src[lastMatchEnd..<m[0]])
            // No replacement for an empty match right after another match.
            if m[1] > lastMatchEnd || m[0] == 0 {
                if literal {
                    out.append(contentsOf: replacement)
                } else {
                    expand(replacement, match: m, src: src, into: &out)
                }
                try context.checkSize(out.count)
            }
            lastMatchEnd = m[1]
            let width = searchPos < src.count ? GoUTF8.decode(src, at: searchPos).width : 0
            if searchPos + width > m[1] {
                searchPos += width
            } else if searchPos + 1 > m[1] {
                searchPos += 1
            } else {
                searchPos = m[1]
            }
        }
        out.append(contentsOf: src[lastMatchEnd...])
        return out
    }

    /// `Regexp.expand`: `$$` is a dollar, `$n`/`${n}` a group by number, `$name`/`${name}`
    /// by name (the longest run of letters, digits and underscores); unknown groups expand
    /// to nothing and a malformed reference is kept literally.
    private func expand(_ template: [UInt8], match: [Int], src: [UInt8], into out: inout [UInt8]) {
        var rest = template[...]
        while let dollar = rest.firstIndex(of: UInt8(ascii: "$")) {
            out.append(contentsOf: rest[..<dollar])
            rest = rest[(dollar + 1)...]
            if rest.first == UInt8(ascii: "$") {
                out.append(UInt8(ascii: "$"))
                rest = rest.dropFirst()
                continue
            }
            guard let (name, number, after) = Self.extractReference(rest) else {
                out.append(UInt8(ascii: "$"))
                continue
            }
            rest = after
            if number >= 0 {
                if 2 * number + 1 < match.count && match[2 * number] >= 0 {
                    out.append(contentsOf: src[match[2 * number]..<match[2 * number + 1]])
                }
            } else {
                for (i, groupName) in captureNames.enumerated() where groupName == name && 2 * i + 1 < match.count && match[2 * i] >= 0 {
                    out.append(contentsOf: src[match[2 * i]..<match[2 * i + 1]])
                    break
                }
            }
        }
        out.append(contentsOf: rest)
    }

    /// `extract`: the name after `$` (braced or not) and its number, or -1 for a name.
    private static func extractReference(_ text: ArraySlice<UInt8>) -> (name: [UInt8], number: Int, rest: ArraySlice<UInt8>)? {
        var s = text
        var brace = false
        if s.first == UInt8(ascii: "{") {
            brace = true
            s = s.dropFirst()
        }
        let bytes = Array(s)
        var i = 0
        while i < bytes.count {
            let (r, w) = GoUTF8.decode(bytes, at: i)
            if !(GoUnicode.isLetter(r) || GoUnicode.isDigit(r) || r == 0x5F) { break }
            i += w
        }
        if i == 0 { return nil }
        let name = Array(bytes[..<i])
        if brace {
            if i >= bytes.count || bytes[i] != UInt8(ascii: "}") { return nil }
            i += 1
        }
        var number = 0
        for c in name {
            if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") || number >= 100_000_000 {
                number = -1
                break
            }
            number = number * 10 + Int(c - UInt8(ascii: "0"))
        }
        if name.first == UInt8(ascii: "0") && name.count > 1 { number = -1 }
        return (name, number, s.dropFirst(i))
    }

    /// `regexp.QuoteMeta`.
    static func quoteMeta(_ s: [UInt8]) -> [UInt8] {
        let special = Array("\\.+*?()|[]{}^$".utf8)
        var out: [UInt8] = []
        for b in s {
            if special.contains(b) { out.append(UInt8(ascii: "\\")) }
            out.append(b)
        }
        return out
    }
}
