/// Byte-string algorithms with the semantics of Go's `strings` package.
///
/// Sprig's string helpers are thin wrappers around `strings`, so their edge cases (empty
/// separators, invalid UTF-8, Unicode spaces) are exactly those of the Go functions
/// reproduced here.
enum GoStrings {
    /// `strings.Index`: first byte offset of `sub` in `s`.
    static func index(_ s: [UInt8], _ sub: [UInt8], from start: Int = 0) -> Int? {
        let n = sub.count
        if n == 0 { return start <= s.count ? start : nil }
        if n > s.count - start { return nil }
        let first = sub[0]
        var i = start
        let last = s.count - n
        while i <= last {
            if s[i] == first {
                var j = 1
                while j < n && s[i + j] == sub[j] { j += 1 }
                if j == n { return i }
            }
            i += 1
        }
        return nil
    }

    /// `strings.LastIndex`.
    static func lastIndex(_ s: [UInt8], _ sub: [UInt8]) -> Int? {
        let n = sub.count
        if n == 0 { return s.count }
        if n > s.count { return nil }
        var i = s.count - n
        while i >= 0 {
            var j = 0
            while j < n && s[i + j] == sub[j] { j += 1 }
            if j == n { return i }
            i -= 1
        }
        return nil
    }

    static func contains(_ s: [UInt8], _ sub: [UInt8]) -> Bool { index(s, sub) != nil }

    static func hasPrefix(_ s: [UInt8], _ prefix: [UInt8]) -> Bool {
        s.count >= prefix.count && s[0..<prefix.count].elementsEqual(prefix)
    }

    static func hasSuffix(_ s: [UInt8], _ suffix: [UInt8]) -> Bool {
        s.count >= suffix.count && s[(s.count - suffix.count)...].elementsEqual(suffix)
    }

    /// `strings.Count`; an empty `sub` counts rune boundaries.
    static func count(_ s: [UInt8], _ sub: [UInt8]) -> Int {
        if sub.isEmpty { return GoUTF8.runeCount(s) + 1 }
        var n = 0
        var i = 0
        while let j = index(s, sub, from: i) {
            n += 1
            i = j + sub.count
        }
        return n
    }

    /// `strings.SplitN` (and `strings.Split` with `n == -1`).
    static func split(_ s: [UInt8], _ sep: [UInt8], limit n: Int = -1) -> [[UInt8]] {
        if n == 0 { return [] }
        if sep.isEmpty { return explode(s, limit: n) }
        var limit = n < 0 ? count(s, sep) + 1 : n
        if limit > s.count + 1 { limit = s.count + 1 }
        var parts: [[UInt8]] = []
        parts.reserveCapacity(limit)
        var start = 0
        while parts.count < limit - 1, let m = index(s, sep, from: start) {
            parts.append(Array(s[start..<m]))
            start = m + sep.count
        }
        parts.append(Array(s[start...]))
        return parts
    }

    /// Splits into UTF-8 sequences; an invalid byte is its own element, unchanged.
    private static func explode(_ s: [UInt8], limit n: Int) -> [[UInt8]] {
        let runeCount = GoUTF8.runeCount(s)
        let limit = (n < 0 || n > runeCount) ? runeCount : n
        var parts: [[UInt8]] = []
        parts.reserveCapacity(limit)
        var i = 0
        while parts.count < limit - 1 {
            let w = GoUTF8.decode(s, at: i).width
            parts.append(Array(s[i..<(i + w)]))
            i += w
        }
        if limit > 0 { parts.append(Array(s[i...])) }
        return parts
    }

    /// `strings.Replace(s, old, new, -1)`; an empty `old` inserts `new` around every rune.
    static func replaceAll(_ s: [UInt8], _ old: [UInt8], _ new: [UInt8]) -> [UInt8] {
        if old == new { return s }
        let n = count(s, old)
        if n == 0 { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.count + n * max(0, new.count - old.count))
        var start = 0
        for i in 0..<n {
            var j = start
            if old.isEmpty {
                if i > 0 { j += GoUTF8.decode(s, at: start).width }
            } else {
                j = index(s, old, from: start) ?? s.count
            }
            out.append(contentsOf: s[start..<j])
            out.append(contentsOf: new)
            start = j + old.count
        }
        out.append(contentsOf: s[start...])
        return out
    }

    /// `strings.Map` with a total mapping: every rune (an invalid byte decodes to U+FFFD)
    /// is replaced by its image.
    static func map(_ s: [UInt8], _ transform: (UInt32) -> UInt32) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let b = s[i]
            if b < 0x80 {
                GoUTF8.append(transform(UInt32(b)), to: &out)
                i += 1
            } else {
                let (r, w) = GoUTF8.decode(s, at: i)
                GoUTF8.append(transform(r), to: &out)
                i += w
            }
        }
        return out
    }

    private static func isASCII(_ s: [UInt8]) -> Bool {
        !s.contains { $0 >= 0x80 }
    }

    /// `strings.ToUpper`: ASCII-only input is mapped bytewise, anything else rune by rune.
    static func toUpper(_ s: [UInt8]) -> [UInt8] {
        if isASCII(s) { return s.map { ($0 >= 0x61 && $0 <= 0x7A) ? $0 - 0x20 : $0 } }
        return map(s, GoUnicode.toUpper)
    }

    /// `strings.ToLower`.
    static func toLower(_ s: [UInt8]) -> [UInt8] {
        if isASCII(s) { return s.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 } }
        return map(s, GoUnicode.toLower)
    }

    /// The word-boundary rule of the deprecated `strings.Title`.
    private static func isSeparator(_ r: UInt32) -> Bool {
        if r <= 0x7F {
            switch r {
            case 0x30...0x39, 0x61...0x7A, 0x41...0x5A, 0x5F: return false
            default: return true
            }
        }
        if GoUnicode.isLetter(r) || GoUnicode.isDigit(r) { return false }
        return GoUnicode.isSpace(r)
    }

    /// `strings.Title`: the first letter after each separator goes to title case.
    static func title(_ s: [UInt8]) -> [UInt8] {
        var prev: UInt32 = 0x20
        return map(s) { r in
            defer { prev = r }
            return isSeparator(prev) ? GoUnicode.toTitle(r) : r
        }
    }

    /// `strings.TrimSpace`.
    static func trimSpace(_ s: [UInt8]) -> [UInt8] {
        var start = 0
        while start < s.count {
            let (r, w) = GoUTF8.decode(s, at: start)
            if !GoUnicode.isSpace(r) || (r == GoUTF8.runeError && w == 1) { break }
            start += w
        }
        var end = s.count
        while end > start {
            let (r, w) = GoUTF8.decodeLast(s, before: end)
            if !GoUnicode.isSpace(r) || (r == GoUTF8.runeError && w == 1) { break }
            end -= w
        }
        return Array(s[start..<end])
    }

    /// `strings.Trim(s, cutset)`: removes leading and trailing runes contained in `cutset`.
    /// As in Go, an invalid byte in either string counts as U+FFFD.
    static func trim(_ s: [UInt8], cutset: [UInt8]) -> [UInt8] {
        if s.isEmpty || cutset.isEmpty { return s }
        let set = Set(GoUTF8.runes(cutset))
        var start = 0
        while start < s.count {
            let (r, w) = GoUTF8.decode(s, at: start)
            if !set.contains(r) { break }
            start += w
        }
        var end = s.count
        while end > start {
            let (r, w) = GoUTF8.decodeLast(s, before: end)
            if !set.contains(r) { break }
            end -= w
        }
        return Array(s[start..<end])
    }

    static func trimPrefix(_ s: [UInt8], _ prefix: [UInt8]) -> [UInt8] {
        hasPrefix(s, prefix) ? Array(s[prefix.count...]) : s
    }

    static func trimSuffix(_ s: [UInt8], _ suffix: [UInt8]) -> [UInt8] {
        hasSuffix(s, suffix) ? Array(s[..<(s.count - suffix.count)]) : s
    }

    /// `strings.Join`.
    static func join(_ parts: [[UInt8]], separator: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(contentsOf: separator) }
            out.append(contentsOf: part)
        }
        return out
    }

    /// `strings.Fields`: splits around runs of Unicode white space.
    static func fields(_ s: [UInt8]) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var i = 0
        var start: Int? = nil
        while i < s.count {
            let (r, w) = GoUTF8.decode(s, at: i)
            let space = GoUnicode.isSpace(r) && !(r == GoUTF8.runeError && w == 1)
            if space {
                if let st = start { parts.append(Array(s[st..<i])); start = nil }
            } else if start == nil {
                start = i
            }
            i += w
        }
        if let st = start { parts.append(Array(s[st...])) }
        return parts
    }

    /// Go's `<` on strings: bytewise lexicographic order.
    @inline(__always)
    static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.lexicographicallyPrecedes(b)
    }
}
