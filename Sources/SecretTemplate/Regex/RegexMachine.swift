/// The Pike VM that runs a `RegexProgram`, modelled on Go's `regexp` NFA matcher.
///
/// All threads advance together over the input one rune at a time; each program counter
/// is kept at most once per position (first, i.e. highest-priority, arrival wins), and a
/// thread reaching `match` cuts off every lower-priority thread. This yields Go's
/// leftmost-first results, capture groups included, in time O(input × program).
struct RegexMachine {
    private let program: RegexProgram

    init(program: RegexProgram) {
        self.program = program
    }

    /// A set of threads, ordered by priority, with at most one thread per instruction.
    private struct ThreadQueue {
        var sparse: [Int]
        var dense: [(pc: Int, slots: [Int]?)] = []

        init(size: Int) {
            sparse = [Int](repeating: 0, count: size)
        }

        func contains(_ pc: Int) -> Bool {
            let index = sparse[pc]
            return index < dense.count && dense[index].pc == pc
        }

        mutating func insert(_ pc: Int) -> Int {
            sparse[pc] = dense.count
            dense.append((pc, nil))
            return dense.count - 1
        }

        mutating func clear() { dense.removeAll(keepingCapacity: true) }
    }

    /// The runes around a position, for zero-width assertions (`lazyFlag`). -1 marks the
    /// edge of the text.
    private struct Context {
        let before: Int64
        let after: Int64

        private static func isWordChar(_ r: Int64) -> Bool {
            (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5A) || (r >= 0x61 && r <= 0x7A) || r == 0x5F
        }

        func satisfies(_ assertion: RegexAssertion) -> Bool {
            switch assertion {
            case .beginText: return before < 0
            case .endText: return after < 0
            case .beginLine: return before < 0 || before == 0x0A
            case .endLine: return after < 0 || after == 0x0A
            case .wordBoundary: return Self.isWordChar(before) != Self.isWordChar(after)
            case .noWordBoundary: return Self.isWordChar(before) == Self.isWordChar(after)
            }
        }
    }

    private enum Work {
        case explore(Int)
        case restore(slot: Int, value: Int)
    }

    /// Adds the thread at `pc` (and everything reachable without consuming input).
    private func add(_ queue: inout ThreadQueue, _ pc: Int, _ pos: Int, _ slots: inout [Int], _ context: Context, _ stack: inout [Work]) {
        stack.append(.explore(pc))
        while let work = stack.popLast() {
            switch work {
            case .restore(let slot, let value):
                slots[slot] = value
            case .explore(var pc):
                explore: while !queue.contains(pc) {
                    let entry = queue.insert(pc)
                    switch program.instructions[pc] {
                    case .split(let primary, let secondary):
                        stack.append(.explore(secondary))
                        pc = primary
                    case .assertion(let assertion, let next):
                        guard context.satisfies(assertion) else { break explore }
                        pc = next
                    case .save(let slot, let next):
                        stack.append(.restore(slot: slot, value: slots[slot]))
                        slots[slot] = pos
                        pc = next
                    case .rune, .charClass, .any, .anyNotNewline, .match:
                        queue.dense[entry].slots = slots
                        break explore
                    }
                }
            }
        }
    }

    /// The leftmost-first match starting the search at byte `from`: capture slots (byte
    /// offsets, -1 for groups that did not participate), or nil. `charge` is called with
    /// the work done so the caller can bound it.
    func match(_ input: [UInt8], from: Int, charge: (Int) throws(TemplateFailure) -> Void) throws(TemplateFailure) -> [Int]? {
        let size = program.instructions.count
        var runQueue = ThreadQueue(size: size)
        var nextQueue = ThreadQueue(size: size)
        var stack: [Work] = []
        var matched: [Int]? = nil
        var pos = from

        func step(_ p: Int) -> (Int64, Int) {
            if p >= input.count { return (-1, 0) }
            let (r, w) = GoUTF8.decode(input, at: p)
            return (Int64(r), w)
        }

        var (r, width) = step(pos)
        var (r1, width1): (Int64, Int) = (-1, 0)
        if r >= 0 { (r1, width1) = step(pos + width) }
        var context: Context
        if pos == 0 {
            context = Context(before: -1, after: r)
        } else {
            let (previous, _) = GoUTF8.decodeLast(input, before: pos)
            context = Context(before: Int64(previous), after: r)
        }
        var work = 0
        while true {
            if runQueue.dense.isEmpty && matched != nil { break }
            if matched == nil {
                var slots = [Int](repeating: -1, count: program.slotCount)
                add(&runQueue, program.start, pos, &slots, context, &stack)
            }
            let nextContext = Context(before: r, after: r1)
            // One step of the budget per 64 thread advances.
            work += runQueue.dense.count + 1
            if work >= 64 {
                try charge(work >> 6)
                work &= 63
            }
            // Step every thread over the rune at `pos`.
            var index = 0
            while index < runQueue.dense.count {
                let thread = runQueue.dense[index]
                index += 1
                guard var slots = thread.slots else { continue }
                var next: Int? = nil
                switch program.instructions[thread.pc] {
                case .match:
                    slots[1] = pos
                    matched = slots
                    // Leftmost-first: lower-priority threads are abandoned.
                    index = runQueue.dense.count
                case .rune(let expected, let foldCase, let n):
                    if r >= 0 {
                        let c = UInt32(r)
                        if c == expected || (foldCase && GoUnicode.foldKey(c) == GoUnicode.foldKey(expected)) { next = n }
                    }
                case .charClass(let classIndex, let n):
                    if r >= 0 && program.classes[classIndex].contains(UInt32(r)) { next = n }
                case .any(let n):
                    if r >= 0 { next = n }
                case .anyNotNewline(let n):
                    if r >= 0 && r != 0x0A { next = n }
                default:
                    break
                }
                if let next {
                    add(&nextQueue, next, pos + width, &slots, nextContext, &stack)
                }
            }
            runQueue.clear()
            if width == 0 { break }
            pos += width
            (r, width) = (r1, width1)
            if r >= 0 { (r1, width1) = step(pos + width) } else { (r1, width1) = (-1, 0) }
            context = nextContext
            swap(&runQueue, &nextQueue)
        }
        return matched
    }
}
