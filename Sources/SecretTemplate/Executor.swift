/// Executes a parsed template the way `text/template`'s `state` does.
///
/// The structure mirrors `exec.go` function for function (`walk`, `evalPipeline`,
/// `evalCommand`, `evalField`, `evalCall`, `evalArg`, `validateType`, ...) because the
/// observable behaviour (which value a pipeline yields, when `<no value>` appears, which
/// node an error is reported at) falls out of those details. `at(_:)` records the node
/// being evaluated exactly where Go's `s.at` does, so error positions match.
final class Executor {
    /// Break/continue propagate as return values instead of Go's panics.
    enum Flow {
        case normal, breakLoop, continueLoop
    }

    /// Maximum depth of nested `{{template}}` calls and evaluation frames; each level uses
    /// native stack, so the bound is far below Go's 100000.
    static let maxDepth = 200

    private let parsed: ParsedTemplate
    private let text: [UInt8]
    private let context: CallContext
    private let maxOutputBytes: Int
    private(set) var output: [UInt8] = []
    private var vars: [(name: [UInt8], value: Value)] = []
    private var node: Node?
    private var templateName: [UInt8]
    private var depth = 0

    init(parsed: ParsedTemplate, text: [UInt8], entry: [UInt8], context: CallContext) {
        self.parsed = parsed
        self.text = text
        self.context = context
        self.templateName = entry
        self.maxOutputBytes = context.limits.maxOutputBytes
    }

    /// Runs the entry template over `data` and returns the rendered bytes.
    func run(data: Value) throws(TemplateFailure) -> [UInt8] {
        guard let root = parsed.templates[templateName] else {
            throw .execution("\(displayString(GoStrconv.quote(templateName))) is an incomplete or empty template")
        }
        vars = [(Array("$".utf8), data)]
        _ = try walk(data, root)
        return output
    }

    // MARK: Error location

    /// Where the last evaluated node is, as Go's `ErrorContext` computes it:
    /// 1-based line and 0-based byte column, plus the node's source form.
    func location() -> (line: Int, column: Int, context: String)? {
        guard let node else { return nil }
        let pos = min(node.pos, text.count)
        var line = 1
        var lastNewline = -1
        for i in 0..<pos where text[i] == 0x0A {
            line += 1
            lastNewline = i
        }
        let column = lastNewline < 0 ? pos : pos - (lastNewline + 1)
        return (line, column, node.description)
    }

    /// The name of the template executing when an error occurred.
    var executingTemplate: String { displayString(templateName) }

    // MARK: State

    @inline(__always)
    private func at(_ n: Node) { node = n }

    private func enter() throws(TemplateFailure) {
        depth += 1
        if depth > Self.maxDepth {
            throw .limit("template recursion exceeds \(Self.maxDepth) levels")
        }
    }

    private func leave() { depth -= 1 }

    private func varValue(_ name: String) throws(TemplateFailure) -> Value {
        let key = Array(name.utf8)
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == key {
            return vars[i].value
        }
        throw .execution("undefined variable: \(name)")
    }

    private func setVar(_ name: String, _ value: Value) throws(TemplateFailure) {
        let key = Array(name.utf8)
        for i in stride(from: vars.count - 1, through: 0, by: -1) where vars[i].name == key {
            vars[i].value = value
            return
        }
        throw .execution("undefined variable: \(name)")
    }

    private func setTopVar(_ n: Int, _ value: Value) {
        vars[vars.count - n].value = value
    }

    private func pop(to mark: Int) {
        if vars.count > mark { vars.removeSubrange(mark...) }
    }

    private func write(_ bytes: [UInt8]) throws(TemplateFailure) {
        if output.count + bytes.count > maxOutputBytes {
            throw .limit("output exceeds \(maxOutputBytes) bytes")
        }
        output.append(contentsOf: bytes)
    }

    // MARK: Walking

    private func walk(_ dot: Value, _ n: Node) throws(TemplateFailure) -> Flow {
        try enter()
        defer { leave() }
        try context.charge()
        at(n)
        switch n {
        case let action as ActionNode:
            // Declarations persist until the enclosing {{end}}, and are not printed.
            let value = try evalPipeline(dot, action.pipe)
            if action.pipe.decl.isEmpty { try printValue(action, value) }
        case is BreakNode:
            return .breakLoop
        case is ContinueNode:
            return .continueLoop
        case let branch as BranchNode:
            if branch.kind == .range { return try walkRange(dot, branch) }
            return try walkIfOrWith(dot, branch)
        case let list as ListNode:
            for child in list.nodes {
                let flow = try walk(dot, child)
                if flow != .normal { return flow }
            }
        case let call as TemplateNode:
            try walkTemplate(dot, call)
        case let text as TextNode:
            try write(text.text)
        default:
            throw .execution("unknown node: \(n.description)")
        }
        return .normal
    }

    private func walkIfOrWith(_ dot: Value, _ branch: BranchNode) throws(TemplateFailure) -> Flow {
        let mark = vars.count
        defer { pop(to: mark) }
        let value = try evalPipeline(dot, branch.pipe)
        if value.indirected.isTrue {
            return try walk(branch.kind == .with ? value : dot, branch.list)
        } else if let elseList = branch.elseList {
            return try walk(dot, elseList)
        }
        return .normal
    }

    private func walkRange(_ dot: Value, _ branch: BranchNode) throws(TemplateFailure) -> Flow {
        at(branch)
        let mark = vars.count
        defer { pop(to: mark) }
        let value = try evalPipeline(dot, branch.pipe).indirected
        let bodyMark = vars.count
        let pipe = branch.pipe

        // Returns false when the loop must stop ({{break}}).
        func iterate(_ index: Value, _ element: Value) throws(TemplateFailure) -> Bool {
            if !pipe.decl.isEmpty {
                if pipe.isAssign {
                    // With two variables the index comes first; with one, the element.
                    try setVar(pipe.decl[0].ident[0], pipe.decl.count > 1 ? index : element)
                } else {
                    setTopVar(1, element)
                }
            }
            if pipe.decl.count > 1 {
                if pipe.isAssign {
                    try setVar(pipe.decl[1].ident[0], element)
                } else {
                    setTopVar(2, index)
                }
            }
            defer { pop(to: bodyMark) }
            return try walk(element, branch.list) != .breakLoop
        }

        switch value {
        case .slice(let slice):
            if slice.count > 0 {
                var i = 0
                while i < slice.count {
                    if !(try iterate(.int(i), slice[i])) { break }
                    i += 1
                }
                return .normal
            }
        case .map(let map):
            if map.count > 0 {
                for entry in map.sortedEntries {
                    if !(try iterate(.string(entry.key), entry.value)) { break }
                }
                return .normal
            }
        case .int(let count, let type):
            // Go 1.24+ ranges over integers, with a single variable only.
            if pipe.decl.count > 1 {
                throw .execution("can't use a value of type \(type.name) to iterate over more than one variable")
            }
            if count > 0 {
                var i: Int64 = 0
                while i < count {
                    if !(try iterate(.invalid, .int(i, type))) { break }
                    i += 1
                }
                return .normal
            }
        case .invalid:
            break  // A missing value acts like an empty map.
        default:
            throw .execution("range can't iterate over a value of type \(value.typeName)")
        }
        if let elseList = branch.elseList {
            return try walk(dot, elseList)
        }
        return .normal
    }

    private func walkTemplate(_ dot: Value, _ call: TemplateNode) throws(TemplateFailure) {
        at(call)
        guard let root = parsed.templates[call.name] else {
            throw .execution("template \(displayString(GoStrconv.quote(call.name))) not defined")
        }
        let newDot = try evalPipeline(dot, call.pipe)
        // No dynamic scoping: the called template sees only "$".
        let savedVars = vars
        let savedName = templateName
        vars = [(Array("$".utf8), newDot)]
        templateName = call.name
        _ = try walk(newDot, root)
        templateName = savedName
        vars = savedVars
        at(call)
    }

    // MARK: Pipelines and commands

    private func evalPipeline(_ dot: Value, _ pipe: PipeNode?) throws(TemplateFailure) -> Value {
        guard let pipe else { return .invalid }
        try enter()
        defer { leave() }
        at(pipe)
        var value: Value? = nil
        for cmd in pipe.cmds {
            var result = try evalCommand(dot, cmd, final: value)
            // An interface{} result is replaced by the value inside it.
            if case .nilInterface = result { result = .invalid }
            value = result
        }
        let result = value ?? .invalid
        for variable in pipe.decl {
            if pipe.isAssign {
                try setVar(variable.ident[0], result)
            } else {
                vars.append((Array(variable.ident[0].utf8), result))
            }
        }
        return result
    }

    private func notAFunction(_ args: [Node], _ final: Value?) throws(TemplateFailure) {
        if args.count > 1 || final != nil {
            throw .execution("can't give argument to non-function \(args[0].description)")
        }
    }

    private func evalCommand(_ dot: Value, _ cmd: CommandNode, final: Value?) throws(TemplateFailure) -> Value {
        try context.charge()
        let first = cmd.args[0]
        switch first {
        case let field as FieldNode:
            return try evalFieldNode(dot, field, args: cmd.args, final: final)
        case let chain as ChainNode:
            return try evalChainNode(dot, chain, args: cmd.args, final: final)
        case let identifier as IdentifierNode:
            return try evalFunction(dot, identifier, cmd: cmd, args: cmd.args, final: final)
        case let pipe as PipeNode:
            // Parenthesized pipeline: its arguments are all inside it.
            try notAFunction(cmd.args, final)
            return try evalPipeline(dot, pipe)
        case let variable as VariableNode:
            return try evalVariableNode(dot, variable, args: cmd.args, final: final)
        default:
            break
        }
        at(first)
        try notAFunction(cmd.args, final)
        switch first {
        case let boolean as BoolNode:
            return .bool(boolean.value)
        case is DotNode:
            return dot
        case is NilNode:
            throw .execution("nil is not a command")
        case let number as NumberNode:
            return try idealConstant(number)
        case let string as StringNode:
            return .string(string.text)
        default:
            throw .execution("can't evaluate command \(displayString(GoStrconv.quote(Array(first.description.utf8))))")
        }
    }

    /// A number whose type the context does not fix: the syntax decides.
    private func idealConstant(_ constant: NumberNode) throws(TemplateFailure) -> Value {
        at(constant)
        let text = constant.text
        let isHexInt = text.count > 2 && text.hasPrefix("0") && (text.dropFirst().first == "x" || text.dropFirst().first == "X")
            && !text.contains("p") && !text.contains("P")
        let isRuneInt = text.hasPrefix("'")
        if constant.isComplex {
            return .complex(constant.complex.re, constant.complex.im)
        }
        if constant.isFloat && !isHexInt && !isRuneInt && text.contains(where: { ".eEpP".contains($0) }) {
            return .float(constant.float64)
        }
        if constant.isInt {
            return .int(constant.int64, .int)
        }
        if constant.isUint {
            throw .execution("\(text) overflows int")
        }
        return .invalid
    }

    private func evalFieldNode(_ dot: Value, _ field: FieldNode, args: [Node], final: Value?) throws(TemplateFailure) -> Value {
        at(field)
        return try evalFieldChain(dot, receiver: dot, node: field, ident: field.ident[...], args: args, final: final)
    }

    private func evalChainNode(_ dot: Value, _ chain: ChainNode, args: [Node], final: Value?) throws(TemplateFailure) -> Value {
        at(chain)
        if chain.fields.isEmpty {
            throw .execution("internal error: no fields in evalChainNode")
        }
        if chain.node is NilNode {
            throw .execution("indirection through explicit nil in \(chain.description)")
        }
        let receiver = try evalArg(dot, nil, chain.node)
        return try evalFieldChain(dot, receiver: receiver, node: chain, ident: chain.fields[...], args: args, final: final)
    }

    private func evalVariableNode(_ dot: Value, _ variable: VariableNode, args: [Node], final: Value?) throws(TemplateFailure) -> Value {
        at(variable)
        let value = try varValue(variable.ident[0])
        if variable.ident.count == 1 {
            try notAFunction(args, final)
            return value
        }
        return try evalFieldChain(dot, receiver: value, node: variable, ident: variable.ident.dropFirst(), args: args, final: final)
    }

    private func evalFieldChain(_ dot: Value, receiver start: Value, node: Node, ident: ArraySlice<String>, args: [Node], final: Value?) throws(TemplateFailure) -> Value {
        var receiver = start
        for name in ident.dropLast() {
            receiver = try evalField(dot, name, node: node, args: [], final: nil, receiver: receiver)
        }
        return try evalField(dot, ident.last!, node: node, args: args, final: final, receiver: receiver)
    }

    /// `.Name` on a value: only map keys exist here (the function set has no methods).
    private func evalField(_ dot: Value, _ name: String, node: Node, args: [Node], final: Value?, receiver: Value) throws(TemplateFailure) -> Value {
        switch receiver {
        case .invalid:
            // A missing map key yields an invalid value, and so does any field of it.
            return .invalid
        case .nilInterface:
            throw .execution("nil pointer evaluating interface {}.\(name)")
        case .map(let map):
            if args.count > 1 || final != nil {
                throw .execution("\(name) is not a method but has arguments")
            }
            return map[Array(name.utf8)] ?? .invalid
        default:
            throw .execution("can't evaluate field \(name) in type \(receiver.typeName)")
        }
    }

    // MARK: Calls

    private func evalFunction(_ dot: Value, _ identifier: IdentifierNode, cmd: Node, args: [Node]?, final: Value?) throws(TemplateFailure) -> Value {
        at(identifier)
        guard let function = FunctionTable.functions[identifier.name] else {
            throw .execution("\(displayString(GoStrconv.quote(Array(identifier.name.utf8)))) is not a defined function")
        }
        return try evalCall(dot, function, name: identifier.name, node: cmd, args: args, final: final)
    }

    private func evalCall(_ dot: Value, _ function: TemplateFunction, name: String, node: Node, args allArgs: [Node]?, final: Value?) throws(TemplateFailure) -> Value {
        // The zeroth argument is the function itself.
        let args: ArraySlice<Node> = allArgs.map { $0.dropFirst() } ?? []
        let numIn = args.count + (final != nil ? 1 : 0)
        let numFixed: Int
        if function.variadic != nil {
            numFixed = function.params.count
            if numIn < numFixed {
                throw .execution("wrong number of args for \(name): want at least \(function.params.count) got \(args.count)")
            }
        } else {
            numFixed = args.count
            if numIn != function.params.count {
                throw .execution("wrong number of args for \(name): want \(function.params.count) got \(numIn)")
            }
        }

        // `and` and `or` evaluate their arguments lazily.
        if function.isBuiltin && (function.special == .and || function.special == .or) {
            let stopOn = function.special == .or
            var value: Value = .invalid
            for arg in args {
                value = try evalArg(dot, .reflectValue, arg)
                if value.indirected.isTrue == stopOn { return value }
            }
            if let final {
                value = try validateType(final, .reflectValue)
            }
            return value
        }

        var argv: [Value] = []
        argv.reserveCapacity(numIn)
        var i = 0
        for arg in args.prefix(numFixed) {
            argv.append(try evalArg(dot, function.params[i], arg))
            i += 1
        }
        if let variadic = function.variadic {
            for arg in args.dropFirst(i) {
                argv.append(try evalArg(dot, variadic, arg))
            }
        }
        if let final {
            var type = function.params.last ?? .any
            if let variadic = function.variadic {
                type = numIn - 1 < numFixed ? function.params[numIn - 1] : variadic
            }
            argv.append(try validateType(final, type))
        }

        if function.isBuiltin && function.special == .call {
            let calleeName = args.first?.description ?? "value"
            argv.insert(.string(Array(calleeName.utf8)), at: 0)
        }

        try context.charge()
        do throws(TemplateFailure) {
            return try function.implementation(context, argv)
        } catch {
            // Errors raised inside the function are reported at the call, as Go does.
            at(node)
            if case .function(let message) = error {
                throw .execution("error calling \(name): \(message)")
            }
            throw error
        }
    }

    /// Checks that `value` can be passed as `type` (nil: no particular type), converting a
    /// missing value to the zero value of nillable types as `reflect` would.
    private func validateType(_ value: Value, _ type: ParamType?) throws(TemplateFailure) -> Value {
        guard let type else { return value }
        if case .invalid = value {
            if type.canBeNil { return type.zeroForNil }
            throw .execution("invalid value; expected \(type.name)")
        }
        switch type {
        case .any, .reflectValue:
            return value
        default:
            if value.goType == type.goType { return value }
            throw .execution("wrong type for value; expected \(type.name); got \(value.goType?.name ?? "<nil>")")
        }
    }

    private func evalArg(_ dot: Value, _ type: ParamType?, _ n: Node) throws(TemplateFailure) -> Value {
        at(n)
        switch n {
        case is DotNode:
            return try validateType(dot, type)
        case is NilNode:
            if let type, type.canBeNil { return type.zeroForNil }
            throw .execution("cannot assign nil to \(type?.name ?? "<nil>")")
        case let field as FieldNode:
            return try validateType(evalFieldNode(dot, field, args: [n], final: nil), type)
        case let variable as VariableNode:
            return try validateType(evalVariableNode(dot, variable, args: [], final: nil), type)
        case let pipe as PipeNode:
            return try validateType(evalPipeline(dot, pipe), type)
        case let identifier as IdentifierNode:
            return try validateType(evalFunction(dot, identifier, cmd: identifier, args: nil, final: nil), type)
        case let chain as ChainNode:
            return try validateType(evalChainNode(dot, chain, args: [], final: nil), type)
        default:
            break
        }
        guard let type else {
            throw .execution("can't handle \(n.description) for arg of type interface {}")
        }
        switch type {
        case .bool:
            if let boolean = n as? BoolNode { return .bool(boolean.value) }
            throw .execution("expected bool; found \(n.description)")
        case .float64:
            if let number = n as? NumberNode, number.isFloat { return .float(number.float64) }
            throw .execution("expected float; found \(n.description)")
        case .int, .int64:
            if let number = n as? NumberNode, number.isInt { return .int(number.int64, type.goType!) }
            throw .execution("expected integer; found \(n.description)")
        case .uint32:
            if let number = n as? NumberNode, number.isUint {
                return .int(Int64(UInt32(truncatingIfNeeded: number.uint64)), .uint32)
            }
            throw .execution("expected unsigned integer; found \(n.description)")
        case .string:
            if let string = n as? StringNode { return .string(string.text) }
            throw .execution("expected string; found \(n.description)")
        case .any, .reflectValue:
            return try evalEmptyInterface(dot, n)
        case .stringMap:
            throw .execution("can't handle \(n.description) for arg of type \(type.name)")
        }
    }

    private func evalEmptyInterface(_ dot: Value, _ n: Node) throws(TemplateFailure) -> Value {
        at(n)
        switch n {
        case let boolean as BoolNode:
            return .bool(boolean.value)
        case let number as NumberNode:
            return try idealConstant(number)
        case let string as StringNode:
            return .string(string.text)
        default:
            throw .execution("can't handle assignment of \(n.description) to empty interface argument")
        }
    }

    // MARK: Printing

    private func printValue(_ n: Node, _ value: Value) throws(TemplateFailure) {
        at(n)
        if case .invalid = value {
            try write(Array("<no value>".utf8))
            return
        }
        try write(GoFormatter.sprint([value], byteLimit: context.maxValueSize))
    }
}
