/// Sprig's `path` functions (`base`, `dir`, `clean`, `ext`, `isAbs`) and their `os...`
/// twins from `path/filepath`, which behave identically on Linux where the controller runs.
enum SprigPaths {
    static let functions: [String: TemplateFunction] = {
        var table: [String: TemplateFunction] = [:]
        let operations: [(String, TemplateFunction)] = [
            ("base", TemplateFunction([.string]) { _, a in .string(base(a[0].str)) }),
            ("dir", TemplateFunction([.string]) { _, a in .string(dir(a[0].str)) }),
            ("clean", TemplateFunction([.string]) { _, a in .string(clean(a[0].str)) }),
            ("ext", TemplateFunction([.string]) { _, a in .string(ext(a[0].str)) }),
            ("isAbs", TemplateFunction([.string]) { _, a in .bool(a[0].str.first == UInt8(ascii: "/")) }),
        ]
        for (name, function) in operations {
            table[name] = function
            table["os" + name.prefix(1).uppercased() + name.dropFirst()] = function
        }
        return table
    }()

    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// `path.Clean`: lexical simplification of `.`, `..` and repeated slashes.
    static func clean(_ path: [UInt8]) -> [UInt8] {
        if path.isEmpty { return [dot] }
        let rooted = path[0] == slash
        let n = path.count
        var out: [UInt8] = []
        var r = 0
        var dotdot = 0
        if rooted {
            out.append(slash)
            r = 1
            dotdot = 1
        }
        while r < n {
            if path[r] == slash {
                r += 1
            } else if path[r] == dot && (r + 1 == n || path[r + 1] == slash) {
                r += 1
            } else if path[r] == dot && r + 1 < n && path[r + 1] == dot && (r + 2 == n || path[r + 2] == slash) {
                r += 2
                if out.count > dotdot {
                    // Drop the last element together with the slash that introduced it.
                    var removed = out.removeLast()
                    while out.count > dotdot && removed != slash { removed = out.removeLast() }
                } else if !rooted {
                    if !out.isEmpty { out.append(slash) }
                    out.append(dot)
                    out.append(dot)
                    dotdot = out.count
                }
            } else {
                if (rooted && out.count != 1) || (!rooted && !out.isEmpty) { out.append(slash) }
                while r < n && path[r] != slash {
                    out.append(path[r])
                    r += 1
                }
            }
        }
        return out.isEmpty ? [dot] : out
    }

    /// `path.Base`: the last element, ignoring trailing slashes.
    static func base(_ path: [UInt8]) -> [UInt8] {
        if path.isEmpty { return [dot] }
        var p = path
        while p.last == slash { p.removeLast() }
        if let i = p.lastIndex(of: slash) { p = Array(p[(i + 1)...]) }
        return p.isEmpty ? [slash] : p
    }

    /// `path.Dir`: everything but the last element, cleaned.
    static func dir(_ path: [UInt8]) -> [UInt8] {
        let cut = path.lastIndex(of: slash).map { $0 + 1 } ?? 0
        return clean(Array(path[..<cut]))
    }

    /// `path.Ext`: the suffix from the final dot of the last element.
    static func ext(_ path: [UInt8]) -> [UInt8] {
        var i = path.count - 1
        while i >= 0 && path[i] != slash {
            if path[i] == dot { return Array(path[i...]) }
            i -= 1
        }
        return []
    }
}
