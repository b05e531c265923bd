/// A compiled regular expression: an NFA program for the Pike VM in `RegexMachine`.
///
/// Alternatives are tried in priority order (leftmost-first, "Perl" semantics, which is
/// what Go's non-POSIX regexps implement), and matching time is linear in the input for a
/// given program, so no pattern can make a template hang on catastrophic backtracking.
struct RegexProgram {
    enum Instruction {
        case rune(UInt32, foldCase: Bool, next: Int)
        case charClass(Int, next: Int)
        case any(next: Int)
        case anyNotNewline(next: Int)
        case assertion(RegexAssertion, next: Int)
        case save(slot: Int, next: Int)
        /// Try `primary` first, then `secondary`.
        case split(primary: Int, secondary: Int)
        case match
    }

    /// Largest program accepted; Go's limit is far higher, but its programs are also far
    /// more compact than this direct Thompson construction.
    static let maxInstructions = 100_000

    private(set) var instructions: [Instruction] = []
    private(set) var classes: [RegexCharClass] = []
    private(set) var start = 0
    /// Number of capture slots (two per group, including group 0).
    let slotCount: Int

    init(_ tree: RegexSyntaxTree) throws(RegexError) {
        slotCount = 2 * (tree.captureCount + 1)
        if tree.root.programSize > Self.maxInstructions { throw .tooLarge }
        let matchIndex = emit(.match)
        // The whole match is capture 0.
        let end = emit(.save(slot: 1, next: matchIndex))
        let body = try compile(tree.root, next: end)
        start = emit(.save(slot: 0, next: body))
    }

    private mutating func emit(_ instruction: Instruction) -> Int {
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func placeholder() -> Int { emit(.match) }

    /// Compiles `node` so that it continues at `next`; returns its entry point. Built
    /// back to front, which lets loops refer to their own entry.
    private mutating func compile(_ node: RegexNode, next: Int) throws(RegexError) -> Int {
        if instructions.count > Self.maxInstructions { throw .tooLarge }
        switch node {
        case .empty:
            return next
        case .literal(let r, let foldCase):
            return emit(.rune(r, foldCase: foldCase, next: next))
        case .charClass(let cls):
            classes.append(cls)
            return emit(.charClass(classes.count - 1, next: next))
        case .anyChar:
            return emit(.any(next: next))
        case .anyCharNotNewline:
            return emit(.anyNotNewline(next: next))
        case .assertion(let assertion):
            return emit(.assertion(assertion, next: next))
        case .capture(let index, let sub):
            let close = emit(.save(slot: 2 * index + 1, next: next))
            let body = try compile(sub, next: close)
            return emit(.save(slot: 2 * index, next: body))
        case .concat(let subs):
            var entry = next
            for sub in subs.reversed() {
                entry = try compile(sub, next: entry)
            }
            return entry
        case .alternate(let subs):
            var entries: [Int] = []
            for sub in subs { entries.append(try compile(sub, next: next)) }
            var entry = entries.removeLast()
            for alternative in entries.reversed() {
                entry = emit(.split(primary: alternative, secondary: entry))
            }
            return entry
        case .star(let sub, let greedy):
            let loop = placeholder()
            let body = try compile(sub, next: loop)
            instructions[loop] = greedy ? .split(primary: body, secondary: next) : .split(primary: next, secondary: body)
            return loop
        case .plus(let sub, let greedy):
            let loop = placeholder()
            let body = try compile(sub, next: loop)
            instructions[loop] = greedy ? .split(primary: body, secondary: next) : .split(primary: next, secondary: body)
            return body
        case .quest(let sub, let greedy):
            let body = try compile(sub, next: next)
            return emit(greedy ? .split(primary: body, secondary: next) : .split(primary: next, secondary: body))
        case .repeatRange(let sub, let min, let max, let greedy):
            return try compileRepeat(sub, min: min, max: max, greedy: greedy, next: next)
        }
    }

    /// `x{n,m}` as Go's simplifier writes it: n copies, then nested optional copies
    /// (`x{2,4}` = `xx(x(x)?)?`); `x{n,}` is n-1 copies followed by `x+`. Built iteratively
    /// so that long chains do not deepen the native stack.
    private mutating func compileRepeat(_ sub: RegexNode, min: Int, max: Int, greedy: Bool, next: Int) throws(RegexError) -> Int {
        var entry = next
        var copies = min
        if max < 0 {
            if min == 0 { return try compile(.star(sub, greedy: greedy), next: next) }
            entry = try compile(.plus(sub, greedy: greedy), next: next)
            copies = min - 1
        } else if max > min {
            // Innermost optional first: each one either matches `sub` and continues with the
            // next optional, or skips to the end.
            for _ in 0..<(max - min) {
                let body = try compile(sub, next: entry)
                entry = emit(greedy ? .split(primary: body, secondary: next) : .split(primary: next, secondary: body))
            }
        }
        for _ in 0..<copies {
            entry = try compile(sub, next: entry)
        }
        return entry
    }
}
