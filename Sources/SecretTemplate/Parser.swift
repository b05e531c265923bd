/// A parsed template: the named trees (the entry itself plus `define`/`block` bodies).
struct ParsedTemplate {
    /// Root list of each template by name.
    var templates: [[UInt8]: ListNode] = [:]
    /// Every string literal of the source; text found here is not secret.
    var stringLiterals: Set<[UInt8]> = []
}

/// The recursive-descent parser of Go's `text/template/parse`, with the same three-token
/// look-ahead, the same scoping of variables, and the same error messages.
///
/// It rejects calls to functions that are not defined at parse time, exactly as
/// `template.New(name).Funcs(...).Parse(text)` does, so an unsupported function can never
/// surface as an execution-time surprise.
struct Parser {
    /// Upper bound on nested control structures and parenthesised pipelines. Go allows
    /// 10000 parentheses; the recursive evaluator here keeps a much lower ceiling so that
    /// hostile templates cannot exhaust the thread's stack.
    static let maxNesting = 100
    /// Go's `maxPipelineCmds`.
    static let maxPipelineCommands = 100_000

    private var lexer: Lexer
    private let name: String
    private let functionExists: (String) -> Bool
    private var token: [Lexer.Item]
    private var peekCount = 0
    private var vars: [[UInt8]] = [Array("$".utf8)]
    private var rangeDepth = 0
    private var actionLine = 0
    private var nesting = 0
    private var result = ParsedTemplate()

    init(name: String, text: [UInt8], functionExists: @escaping (String) -> Bool) {
        self.lexer = Lexer(text)
        self.name = name
        self.functionExists = functionExists
        let placeholder = Lexer.Item(type: .eof, pos: 0, value: [], line: 1)
        self.token = [placeholder, placeholder, placeholder]
    }

    /// Parses the whole text; the entry is stored under `name`.
    static func parse(name: String, text: [UInt8], functionExists: @escaping (String) -> Bool) throws(TemplateFailure) -> ParsedTemplate {
        var parser = Parser(name: name, text: text, functionExists: functionExists)
        try parser.parseTopLevel()
        return parser.result
    }

    // MARK: Token buffer

    private mutating func next() -> Lexer.Item {
        if peekCount > 0 {
            peekCount -= 1
        } else {
            token[0] = lexer.nextItem()
        }
        return token[peekCount]
    }

    private mutating func backup() { peekCount += 1 }

    private mutating func backup2(_ t1: Lexer.Item) {
        token[1] = t1
        peekCount = 2
    }

    private mutating func backup3(_ t2: Lexer.Item, _ t1: Lexer.Item) {
        token[1] = t1
        token[2] = t2
        peekCount = 3
    }

    private mutating func peek() -> Lexer.Item {
        if peekCount > 0 { return token[peekCount - 1] }
        peekCount = 1
        token[0] = lexer.nextItem()
        return token[0]
    }

    private mutating func nextNonSpace() -> Lexer.Item {
        var item: Lexer.Item
        repeat {
            item = next()
        } while item.type == .space
        return item
    }

    private mutating func peekNonSpace() -> Lexer.Item {
        let item = nextNonSpace()
        backup()
        return item
    }

    // MARK: Errors

    private func errorf(_ message: String) -> TemplateFailure {
        .parse(message: message, line: token[0].line, offset: token[0].pos)
    }

    private func unexpected(_ item: Lexer.Item, _ context: String) -> TemplateFailure {
        if item.type == .error {
            var extra = ""
            if actionLine != 0 && actionLine != item.line {
                extra = " in action started at \(name):\(actionLine)"
                if item.description.hasSuffix(" action") {
                    extra = String(extra.dropFirst(" in action".count))
                }
            }
            return errorf(item.description + extra)
        }
        return errorf("unexpected \(item.description) in \(context)")
    }

    private mutating func expect(_ expected: Lexer.ItemType, _ context: String) throws(TemplateFailure) -> Lexer.Item {
        let item = nextNonSpace()
        if item.type != expected { throw unexpected(item, context) }
        return item
    }

    private mutating func enterNesting() throws(TemplateFailure) {
        nesting += 1
        if nesting > Self.maxNesting {
            throw .limit("template nesting exceeds \(Self.maxNesting) levels", line: token[0].line, offset: token[0].pos)
        }
    }

    private mutating func leaveNesting() { nesting -= 1 }

    // MARK: Templates

    private mutating func parseTopLevel() throws(TemplateFailure) {
        let root = ListNode(pos: peek().pos)
        while peek().type != .eof {
            if peek().type == .leftDelim {
                let delim = next()
                if nextNonSpace().type == .define {
                    try parseDefinition()
                    continue
                }
                backup2(delim)
            }
            let node = try textOrAction()
            if node is EndNode || node is ElseNode {
                throw errorf("unexpected \(node.description)")
            }
            root.nodes.append(node)
        }
        try add(name: Array(name.utf8), root: root)
    }

    /// Registers a tree; a non-empty tree may not replace another non-empty one.
    private mutating func add(name templateName: [UInt8], root: ListNode) throws(TemplateFailure) {
        if let existing = result.templates[templateName], !Self.isEmptyTree(existing) {
            if !Self.isEmptyTree(root) {
                throw errorf("template: multiple definition of template \(displayString(GoStrconv.quote(templateName)))")
            }
            return
        }
        result.templates[templateName] = root
    }

    /// `parse.IsEmptyTree`: nothing but white space and comments.
    static func isEmptyTree(_ node: Node) -> Bool {
        switch node {
        case let list as ListNode: return list.nodes.allSatisfy(isEmptyTree)
        case let text as TextNode: return GoStrings.trimSpace(text.text).isEmpty
        default: return false
        }
    }

    private mutating func parseDefinition() throws(TemplateFailure) {
        let context = "define clause"
        let nameItem = nextNonSpace()
        guard nameItem.type == .string || nameItem.type == .rawString else { throw unexpected(nameItem, context) }
        guard let templateName = GoStrconv.unquote(nameItem.value) else { throw errorf("invalid syntax") }
        _ = try expect(.rightDelim, context)
        let savedVars = vars
        let savedRangeDepth = rangeDepth
        vars = [Array("$".utf8)]
        rangeDepth = 0
        let (root, end) = try itemList()
        if !(end is EndNode) { throw errorf("unexpected \(end.description) in \(context)") }
        try add(name: templateName, root: root)
        vars = savedVars
        rangeDepth = savedRangeDepth
    }

    /// `textOrAction*`, terminated by `{{end}}` or `{{else}}` (returned separately).
    private mutating func itemList() throws(TemplateFailure) -> (ListNode, Node) {
        let list = ListNode(pos: peekNonSpace().pos)
        while peekNonSpace().type != .eof {
            let node = try textOrAction()
            if node is EndNode || node is ElseNode { return (list, node) }
            list.nodes.append(node)
        }
        throw errorf("unexpected EOF")
    }

    private mutating func textOrAction() throws(TemplateFailure) -> Node {
        let item = nextNonSpace()
        switch item.type {
        case .text:
            return TextNode(pos: item.pos, text: item.value)
        case .leftDelim:
            actionLine = item.line
            defer { actionLine = 0 }
            return try action()
        default:
            throw unexpected(item, "input")
        }
    }

    // MARK: Actions

    private mutating func action() throws(TemplateFailure) -> Node {
        let item = nextNonSpace()
        switch item.type {
        case .block: return try blockControl()
        case .breakKeyword: return try loopControl(item, isBreak: true)
        case .continueKeyword: return try loopControl(item, isBreak: false)
        case .elseKeyword: return try elseControl()
        case .end: return EndNode(pos: try expect(.rightDelim, "end").pos)
        case .ifKeyword: return try branchControl(.ifBranch)
        case .range: return try branchControl(.range)
        case .template: return try templateControl()
        case .with: return try branchControl(.with)
        default: break
        }
        backup()
        let start = peek()
        let pipe = try pipeline("command", end: .rightDelim)
        return ActionNode(pos: start.pos, line: start.line, pipe: pipe)
    }

    private mutating func loopControl(_ keyword: Lexer.Item, isBreak: Bool) throws(TemplateFailure) -> Node {
        let word = isBreak ? "{{break}}" : "{{continue}}"
        let item = nextNonSpace()
        if item.type != .rightDelim { throw unexpected(item, word) }
        if rangeDepth == 0 { throw errorf("\(word) outside {{range}}") }
        return isBreak ? BreakNode(pos: keyword.pos) : ContinueNode(pos: keyword.pos)
    }

    private mutating func elseControl() throws(TemplateFailure) -> Node {
        let following = peekNonSpace()
        // "{{else if ...}}" and "{{else with ...}}" leave the keyword pending for parseControl.
        if following.type == .ifKeyword || following.type == .with {
            return ElseNode(pos: following.pos, line: following.line)
        }
        let item = try expect(.rightDelim, "else")
        return ElseNode(pos: item.pos, line: item.line)
    }

    private mutating func branchControl(_ kind: BranchNode.Kind) throws(TemplateFailure) -> Node {
        try enterNesting()
        defer { leaveNesting() }
        let context = kind.keyword
        let savedVarCount = vars.count
        defer { vars.removeSubrange(min(savedVarCount, vars.count)...) }
        let pipe = try pipeline(context, end: .rightDelim)
        if kind == .range { rangeDepth += 1 }
        let (list, next) = try itemList()
        if kind == .range { rangeDepth -= 1 }
        var elseList: ListNode? = nil
        if next is ElseNode {
            if kind == .ifBranch && peek().type == .ifKeyword {
                _ = self.next()
                let chained = ListNode(pos: next.pos)
                chained.nodes.append(try branchControl(.ifBranch))
                elseList = chained
            } else if kind == .with && peek().type == .with {
                _ = self.next()
                let chained = ListNode(pos: next.pos)
                chained.nodes.append(try branchControl(.with))
                elseList = chained
            } else {
                let (otherwise, end) = try itemList()
                if !(end is EndNode) { throw errorf("expected end; found \(end.description)") }
                elseList = otherwise
            }
        }
        return BranchNode(kind: kind, pos: pipe.pos, line: pipe.line, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func blockControl() throws(TemplateFailure) -> Node {
        let context = "block clause"
        let item = nextNonSpace()
        let blockName = try parseTemplateName(item, context)
        let pipe = try pipeline(context, end: .rightDelim)
        try enterNesting()
        defer { leaveNesting() }
        let savedVars = vars
        let savedRangeDepth = rangeDepth
        vars = [Array("$".utf8)]
        rangeDepth = 0
        let (root, end) = try itemList()
        if !(end is EndNode) { throw errorf("unexpected \(end.description) in \(context)") }
        try add(name: blockName, root: root)
        vars = savedVars
        rangeDepth = savedRangeDepth
        return TemplateNode(pos: item.pos, line: item.line, name: blockName, pipe: pipe)
    }

    private mutating func templateControl() throws(TemplateFailure) -> Node {
        let context = "template clause"
        let item = nextNonSpace()
        let templateName = try parseTemplateName(item, context)
        var pipe: PipeNode? = nil
        if nextNonSpace().type != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return TemplateNode(pos: item.pos, line: item.line, name: templateName, pipe: pipe)
    }

    private mutating func parseTemplateName(_ item: Lexer.Item, _ context: String) throws(TemplateFailure) -> [UInt8] {
        guard item.type == .string || item.type == .rawString else { throw unexpected(item, context) }
        guard let value = GoStrconv.unquote(item.value) else { throw errorf("invalid syntax") }
        return value
    }

    // MARK: Pipelines

    private mutating func pipeline(_ context: String, end: Lexer.ItemType) throws(TemplateFailure) -> PipeNode {
        let first = peekNonSpace()
        let pipe = PipeNode(pos: first.pos, line: first.line)
        declarations: while true {
            let variable = peekNonSpace()
            guard variable.type == .variable else { break }
            _ = next()
            // Space is a token, so "$x foo" needs three tokens of look-ahead to tell a
            // declaration from a variable used as an argument.
            let tokenAfterVariable = peek()
            let following = peekNonSpace()
            if following.type == .assign || following.type == .declare {
                pipe.isAssign = following.type == .assign
                _ = nextNonSpace()
                pipe.decl.append(VariableNode(pos: variable.pos, text: displayString(variable.value)))
                vars.append(variable.value)
            } else if following.type == .char && following.value == [UInt8(ascii: ",")] {
                _ = nextNonSpace()
                pipe.decl.append(VariableNode(pos: variable.pos, text: displayString(variable.value)))
                vars.append(variable.value)
                if context == "range" && pipe.decl.count < 2 {
                    switch peekNonSpace().type {
                    case .variable, .rightDelim, .rightParen:
                        continue declarations
                    default:
                        throw errorf("range can only initialize variables")
                    }
                }
                throw errorf("too many declarations in \(context)")
            } else if tokenAfterVariable.type == .space {
                backup3(variable, tokenAfterVariable)
            } else {
                backup2(variable)
            }
            break
        }
        while true {
            let item = nextNonSpace()
            switch item.type {
            case end:
                try checkPipeline(pipe, context)
                return pipe
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword,
                 .rawString, .string, .variable, .leftParen:
                backup()
                pipe.cmds.append(try command())
                if pipe.cmds.count > Self.maxPipelineCommands { throw errorf("pipeline too long") }
            default:
                throw unexpected(item, context)
            }
        }
    }

    private func checkPipeline(_ pipe: PipeNode, _ context: String) throws(TemplateFailure) {
        if pipe.cmds.isEmpty { throw errorf("missing value for \(context)") }
        for (i, cmd) in pipe.cmds.dropFirst().enumerated() {
            switch cmd.args[0] {
            case is BoolNode, is DotNode, is NilNode, is NumberNode, is StringNode:
                throw errorf("non executable command in pipeline stage \(i + 2)")
            default:
                continue
            }
        }
    }

    private mutating func command() throws(TemplateFailure) -> CommandNode {
        let cmd = CommandNode(pos: peekNonSpace().pos)
        operands: while true {
            _ = peekNonSpace()
            if let operand = try operand() { cmd.args.append(operand) }
            let item = next()
            switch item.type {
            case .space:
                continue operands
            case .rightDelim, .rightParen:
                backup()
            case .pipe:
                break
            default:
                throw unexpected(item, "operand")
            }
            break
        }
        if cmd.args.isEmpty { throw errorf("empty command") }
        return cmd
    }

    private mutating func operand() throws(TemplateFailure) -> Node? {
        guard let node = try term() else { return nil }
        guard peek().type == .field else { return node }
        let chain = ChainNode(pos: peek().pos, node: node)
        while peek().type == .field {
            chain.fields.append(displayString(Array(next().value.dropFirst())))
        }
        switch node {
        case is FieldNode:
            return FieldNode(pos: chain.pos, text: chain.description)
        case is VariableNode:
            return VariableNode(pos: chain.pos, text: chain.description)
        case is BoolNode, is StringNode, is NumberNode, is NilNode, is DotNode:
            throw errorf("unexpected . after term \(displayString(GoStrconv.quote(Array(node.description.utf8))))")
        default:
            return chain
        }
    }

    private mutating func term() throws(TemplateFailure) -> Node? {
        let item = nextNonSpace()
        switch item.type {
        case .identifier:
            let function = displayString(item.value)
            if !functionExists(function) {
                throw errorf("function \(displayString(GoStrconv.quote(item.value))) not defined")
            }
            return IdentifierNode(pos: item.pos, name: function)
        case .dot:
            return DotNode(pos: item.pos)
        case .nilKeyword:
            return NilNode(pos: item.pos)
        case .variable:
            return try useVar(item)
        case .field:
            return FieldNode(pos: item.pos, text: displayString(item.value))
        case .bool:
            return BoolNode(pos: item.pos, value: item.value == Array("true".utf8))
        case .charConstant, .complex, .number:
            return try newNumber(item)
        case .leftParen:
            try enterNesting()
            defer { leaveNesting() }
            return try pipeline("parenthesized pipeline", end: .rightParen)
        case .string, .rawString:
            guard let text = GoStrconv.unquote(item.value) else { throw errorf("invalid syntax") }
            result.stringLiterals.insert(text)
            return StringNode(pos: item.pos, quoted: item.value, text: text)
        default:
            backup()
            return nil
        }
    }

    private func useVar(_ item: Lexer.Item) throws(TemplateFailure) -> Node {
        let node = VariableNode(pos: item.pos, text: displayString(item.value))
        let name = Array(node.ident[0].utf8)
        if vars.contains(name) { return node }
        throw errorf("undefined variable \(displayString(GoStrconv.quote(name)))")
    }

    // MARK: Numbers

    private func newNumber(_ item: Lexer.Item) throws(TemplateFailure) -> NumberNode {
        let text = item.value
        let node = NumberNode(pos: item.pos, text: displayString(text))
        switch item.type {
        case .charConstant:
            guard let (r, _, tail) = GoStrconv.unquoteChar(text.dropFirst(), quote: text[0]) else {
                throw errorf("invalid syntax")
            }
            guard Array(tail) == [UInt8(ascii: "'")] else {
                throw errorf("malformed character constant: \(displayString(text))")
            }
            node.int64 = Int64(r)
            node.isInt = true
            node.uint64 = UInt64(r)
            node.isUint = true
            node.float64 = Double(r)
            node.isFloat = true
            return node
        case .complex:
            guard let value = Self.parseComplex(text) else {
                throw errorf("illegal number syntax: \(displayString(GoStrconv.quote(text)))")
            }
            node.complex = value
            node.isComplex = true
            Self.simplifyComplex(node)
            return node
        default:
            break
        }
        // Imaginary constants can only be complex unless they are zero.
        if text.last == UInt8(ascii: "i"), case .success(let imaginary) = GoStrconv.parseFloat(Array(text.dropLast())) {
            node.complex = (0, imaginary)
            node.isComplex = true
            Self.simplifyComplex(node)
            return node
        }
        var unsigned: UInt64 = 0
        if case .success(let u) = GoStrconv.parseUint(text, base: 0) {
            node.isUint = true
            node.uint64 = u
            unsigned = u
        }
        if case .success(let i) = GoStrconv.parseInt(text, base: 0) {
            node.isInt = true
            node.int64 = i
            if i == 0 {
                node.isUint = true  // in case of -0
                node.uint64 = unsigned
            }
        }
        if node.isInt {
            node.isFloat = true
            node.float64 = Double(node.int64)
        } else if node.isUint {
            node.isFloat = true
            node.float64 = Double(node.uint64)
        } else if case .success(let f) = GoStrconv.parseFloat(text) {
            // Parsed as a float but looks like an integer: too large for an int.
            if !text.contains(where: { Array(".eEpP".utf8).contains($0) }) {
                throw errorf("integer overflow: \(displayString(GoStrconv.quote(text)))")
            }
            node.isFloat = true
            node.float64 = f
            if let exact = Self.exactInt64(f) {
                node.isInt = true
                node.int64 = exact
            }
            if let exact = Self.exactUInt64(f) {
                node.isUint = true
                node.uint64 = exact
            }
        }
        if !node.isInt && !node.isUint && !node.isFloat {
            throw errorf("illegal number syntax: \(displayString(GoStrconv.quote(text)))")
        }
        return node
    }

    /// `float64(int64(f)) == f`, without trapping on out-of-range values.
    static func exactInt64(_ f: Double) -> Int64? {
        guard f.isFinite, f == f.rounded(.towardZero), f >= -9_223_372_036_854_775_808.0, f < 9_223_372_036_854_775_808.0 else {
            return nil
        }
        return Int64(f)
    }

    /// `float64(uint64(f)) == f`, without trapping on out-of-range values.
    static func exactUInt64(_ f: Double) -> UInt64? {
        guard f.isFinite, f == f.rounded(.towardZero), f >= 0, f < 18_446_744_073_709_551_616.0 else {
            return nil
        }
        return UInt64(f)
    }

    private static func simplifyComplex(_ node: NumberNode) {
        node.isFloat = node.complex.im == 0
        guard node.isFloat else { return }
        node.float64 = node.complex.re
        if let exact = exactInt64(node.float64) {
            node.isInt = true
            node.int64 = exact
        }
        if let exact = exactUInt64(node.float64) {
            node.isUint = true
            node.uint64 = exact
        }
    }

    /// Parses the lexer's complex form `real±imag` + `i`.
    private static func parseComplex(_ text: [UInt8]) -> (re: Double, im: Double)? {
        guard text.last == UInt8(ascii: "i"), text.count > 2 else { return nil }
        var split: Int? = nil
        var i = text.count - 2
        while i > 0 {
            let c = text[i]
            if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && text[i - 1] | 0x20 != UInt8(ascii: "e") && text[i - 1] | 0x20 != UInt8(ascii: "p") {
                split = i
                break
            }
            i -= 1
        }
        guard let at = split,
              case .success(let re) = GoStrconv.parseFloat(Array(text[..<at])),
              case .success(let im) = GoStrconv.parseFloat(Array(text[at..<(text.count - 1)])) else {
            return nil
        }
        return (re, im)
    }
}
