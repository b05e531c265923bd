/// A path pattern from `.sealkit.yaml`, matched against paths relative to the repository root
/// (`overlays/prod/db.yaml`, always with `/`). Patterns are anchored at the root, so
/// `overlays/prod/**` never matches `apps/overlays/prod/x`: a rule says exactly which tree it
/// governs.
///
/// - `*` matches any run of characters within one path component (not `/`);
/// - `?` matches one character other than `/`;
/// - `[abc]`, `[a-z]`, `[!abc]` match one character of (or not of) a set;
/// - `**` as a whole component matches zero or more components (`a/**/b` matches `a/b`, `a/x/y/b`);
/// - a trailing `/` means everything below: `overlays/prod/` is `overlays/prod/**`.
public struct PathGlob: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written in the policy.
    public let pattern: String
    private let components: [[Unicode.Scalar]]

    /// - Throws: `PolicyError` for an empty pattern, an absolute one, one with `..`, or an
    ///   unclosed `[`.
    public init(_ pattern: String) throws(PolicyError) {
        self.pattern = pattern
        guard !pattern.isEmpty else { throw PolicyError("empty path pattern") }
        guard !pattern.hasPrefix("/") else {
            throw PolicyError("path pattern \"\(pattern)\" starts with /; patterns are relative to the repository root")
        }
        var text = pattern
        if text.hasPrefix("./") { text.removeFirst(2) }
        if text.hasSuffix("/") { text += "**" }
        let parts = text.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
        guard !parts.contains(Array("..".unicodeScalars)) else {
            throw PolicyError("path pattern \"\(pattern)\" contains ..; patterns are relative to the repository root")
        }
        for part in parts where !Self.classesAreClosed(part) {
            throw PolicyError("path pattern \"\(pattern)\" has an unclosed [")
        }
        // Consecutive `**` mean the same as one; collapsing them keeps matching linear.
        var collapsed: [[Unicode.Scalar]] = []
        for part in parts where !(part == Self.doubleStar && collapsed.last == Self.doubleStar) {
            collapsed.append(part)
        }
        components = collapsed
    }

    /// The pattern as written, for messages.
    public var description: String { pattern }

    private static let doubleStar = Array("**".unicodeScalars)

    /// Whether `path` (relative to the repository root, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }.map { Array($0.unicodeScalars) }
        // Dynamic programming over (pattern component, path component): no exponential
        // backtracking whatever the pattern.
        var reachable = [Bool](repeating: false, count: parts.count + 1)
        reachable[0] = true
        for component in components {
            var next = [Bool](repeating: false, count: parts.count + 1)
            if component == Self.doubleStar {
                var seen = false
                for index in 0 ... parts.count {
                    seen = seen || reachable[index]
                    next[index] = seen
                }
            } else {
                for index in 0 ..< parts.count where reachable[index] && Self.matchComponent(component, parts[index]) {
                    next[index + 1] = true
                }
            }
            reachable = next
        }
        return reachable[parts.count]
    }

    /// The directory the pattern names before its first wildcard, when what follows is `**`,
    /// one file-name component (`*.yaml`), or `**` and one such component:
    /// `overlays/prod/**` and `overlays/prod/*.yaml` give `overlays/prod`. `--all-clusters`
    /// writes there; other shapes (`apps/*/prod/**`) name no single directory.
    public var literalDirectory: String? {
        guard let firstWild = components.firstIndex(where: Self.hasWildcard), firstWild > 0 else { return nil }
        let rest = Array(components[firstWild...])
        let shapeFits = rest == [Self.doubleStar]
            || (rest.count == 1 && rest[0] != Self.doubleStar)
            || (rest.count == 2 && rest[0] == Self.doubleStar && rest[1] != Self.doubleStar)
        guard shapeFits else { return nil }
        return components[..<firstWild].map { String(String.UnicodeScalarView($0)) }.joined(separator: "/")
    }

    private static func hasWildcard(_ component: [Unicode.Scalar]) -> Bool {
        component.contains { $0 == Unicode.Scalar("*") || $0 == Unicode.Scalar("?") || $0 == Unicode.Scalar("[") }
    }

    private static func classesAreClosed(_ component: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index < component.count {
            if component[index] == Unicode.Scalar("[") {
                guard let end = classEnd(component, from: index) else { return false }
                index = end + 1
            } else {
                index += 1
            }
        }
        return true
    }

    /// Index of the `]` closing the class that opens at `start` (a `]` right after `[` or `[!`
    /// is a member, as in shell globs).
    private static func classEnd(_ pattern: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        if index < pattern.count, pattern[index] == Unicode.Scalar("!") { index += 1 }
        if index < pattern.count, pattern[index] == Unicode.Scalar("]") { index += 1 }
        while index < pattern.count {
            if pattern[index] == Unicode.Scalar("]") { return index }
            index += 1
        }
        return nil
    }

    /// Wildcard match of one component; `*` backtracks to the last star only (linear-ish, as
    /// in the classic two-pointer algorithm).
    private static func matchComponent(_ pattern: [Unicode.Scalar], _ name: [Unicode.Scalar]) -> Bool {
        var p = 0
        var n = 0
        var star: (pattern: Int, name: Int)?
        while n < name.count {
            if p < pattern.count {
                switch pattern[p] {
                case Unicode.Scalar("*"):
                    star = (p, n)
                    p += 1
                    continue
                case Unicode.Scalar("?"):
                    p += 1
                    n += 1
                    continue
                case Unicode.Scalar("["):
                    if let end = classEnd(pattern, from: p), classContains(pattern[(p + 1) ..< end], name[n]) {
                        p = end + 1
                        n += 1
                        continue
                    }
                default:
                    if pattern[p] == name[n] {
                        p += 1
                        n += 1
                        continue
                    }
                }
            }
            guard let last = star else { return false }
            star = (last.pattern, last.name + 1)
            p = last.pattern + 1
            n = last.name + 1
        }
        while p < pattern.count, pattern[p] == Unicode.Scalar("*") { p += 1 }
        return p == pattern.count
    }

    private static func classContains(_ body: ArraySlice<Unicode.Scalar>, _ byte: Unicode.Scalar) -> Bool {
        var members = body
        let negated = members.first == Unicode.Scalar("!")
        if negated { members = members.dropFirst() }
        var found = false
        var index = members.startIndex
        while index < members.endIndex {
            let low = members[index]
            if index + 2 < members.endIndex, members[index + 1] == Unicode.Scalar("-") {
                if low <= byte && byte <= members[index + 2] { found = true }
                index += 3
            } else {
                if low == byte { found = true }
                index += 1
            }
        }
        return found != negated
    }
}
