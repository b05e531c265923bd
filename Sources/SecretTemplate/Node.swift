/// The parse tree of `text/template/parse`.
///
/// Nodes record their byte offset in the template because execution errors report
/// `line:column` computed from it, and they can render themselves back to template syntax
/// the way Go's `Node.String()` does, which is the `<...>` context of execution errors.
class Node {
    /// Byte offset of the node in the template text.
    let pos: Int

    init(pos: Int) {
        self.pos = pos
    }

    /// The node as Go's `String()` prints it.
    var description: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {}
}

final class ListNode: Node {
    var nodes: [Node] = []

    override func write(to out: inout String) {
        for node in nodes { node.write(to: &out) }
    }
}

final class TextNode: Node {
    let text: [UInt8]

    init(pos: Int, text: [UInt8]) {
        self.text = text
        super.init(pos: pos)
    }

    override func write(to out: inout String) { out += displayString(text) }
}

final class ActionNode: Node {
    let line: Int
    let pipe: PipeNode

    init(pos: Int, line: Int, pipe: PipeNode) {
        self.line = line
        self.pipe = pipe
        super.init(pos: pos)
    }

    override func write(to out: inout String) {
        out += "{{"
        pipe.write(to: &out)
        out += "}}"
    }
}

final class PipeNode: Node {
    let line: Int
    var isAssign = false
    var decl: [VariableNode] = []
    var cmds: [CommandNode] = []

    init(pos: Int, line: Int) {
        self.line = line
        super.init(pos: pos)
    }

    override func write(to out: inout String) {
        if !decl.isEmpty {
            for (i, variable) in decl.enumerated() {
                if i > 0 { out += ", " }
                variable.write(to: &out)
            }
            out += isAssign ? " = " : " := "
        }
        for (i, cmd) in cmds.enumerated() {
            if i > 0 { out += " | " }
            cmd.write(to: &out)
        }
    }
}

final class CommandNode: Node {
    var args: [Node] = []

    override func write(to out: inout String) {
        for (i, arg) in args.enumerated() {
            if i > 0 { out += " " }
            if let pipe = arg as? PipeNode {
                out += "("
                pipe.write(to: &out)
                out += ")"
            } else {
                arg.write(to: &out)
            }
        }
    }
}

/// A function name.
final class IdentifierNode: Node {
    let name: String

    init(pos: Int, name: String) {
        self.name = name
        super.init(pos: pos)
    }

    override func write(to out: inout String) { out += name }
}

/// `$`, `$x`, or `$x.field.chain`.
final class VariableNode: Node {
    let ident: [String]

    init(pos: Int, text: String) {
        ident = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        super.init(pos: pos)
    }

    override func write(to out: inout String) { out += ident.joined(separator: ".") }
}

final class DotNode: Node {
    override func write(to out: inout String) { out += "." }
}

final class NilNode: Node {
    override func write(to out: inout String) { out += "nil" }
}

/// `.field` or `.field.chain`.
final class FieldNode: Node {
    let ident: [String]

    /// `text` starts with the leading dot.
    init(pos: Int, text: String) {
        ident = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        super.init(pos: pos)
    }

    override func write(to out: inout String) {
        for id in ident { out += "." + id }
    }
}

/// A term followed by field accesses, like `(dict "a" 1).a`.
final class ChainNode: Node {
    let node: Node
    var fields: [String] = []

    init(pos: Int, node: Node) {
        self.node = node
        super.init(pos: pos)
    }

    override func write(to out: inout String) {
        if let pipe = node as? PipeNode {
            out += "("
            pipe.write(to: &out)
            out += ")"
        } else {
            node.write(to: &out)
        }
        for field in fields { out += "." + field }
    }
}

final class BoolNode: Node {
    let value: Bool

    init(pos: Int, value: Bool) {
        self.value = value
        super.init(pos: pos)
    }

    override func write(to out: inout String) { out += value ? "true" : "false" }
}

/// A numeric or character constant with every interpretation Go's parser found for it.
final class NumberNode: Node {
    var isInt = false
    var isUint = false
    var isFloat = false
    var isComplex = false
    var int64: Int64 = 0
    var uint64: UInt64 = 0
    var float64: Double = 0
    var complex: (re: Double, im: Double) = (0, 0)
    /// The original text of the number.
    let text: String

    init(pos: Int, text: String) {
        self.text = text
        super.init(pos: pos)
    }

    override func write(to out: inout String) { out += text }
}

final class StringNode: Node {
    /// The literal as written, quotes included.
    let quoted: [UInt8]
    /// The unquoted value.
    let text: [UInt8]

    init(pos: Int, quoted: [UInt8], text: [UInt8]) {
        self.quoted = quoted
        self.text = text
        super.init(pos: pos)
    }

    override func write(to out: inout String) { out += displayString(quoted) }
}

/// `{{end}}`; only seen by the parser.
final class EndNode: Node {
    override func write(to out: inout String) { out += "{{end}}" }
}

/// `{{else}}`; only seen by the parser.
final class ElseNode: Node {
    let line: Int

    init(pos: Int, line: Int) {
        self.line = line
        super.init(pos: pos)
    }

    override func write(to out: inout String) { out += "{{else}}" }
}

final class BreakNode: Node {
    override func write(to out: inout String) { out += "{{break}}" }
}

final class ContinueNode: Node {
    override func write(to out: inout String) { out += "{{continue}}" }
}

/// `if`, `range` and `with`.
final class BranchNode: Node {
    enum Kind {
        case ifBranch, range, with

        var keyword: String {
            switch self {
            case .ifBranch: return "if"
            case .range: return "range"
            case .with: return "with"
            }
        }
    }

    let kind: Kind
    let line: Int
    let pipe: PipeNode
    let list: ListNode
    let elseList: ListNode?

    init(kind: Kind, pos: Int, line: Int, pipe: PipeNode, list: ListNode, elseList: ListNode?) {
        self.kind = kind
        self.line = line
        self.pipe = pipe
        self.list = list
        self.elseList = elseList
        super.init(pos: pos)
    }

    override func write(to out: inout String) {
        out += "{{" + kind.keyword + " "
        pipe.write(to: &out)
        out += "}}"
        list.write(to: &out)
        if let elseList {
            out += "{{else}}"
            elseList.write(to: &out)
        }
        out += "{{end}}"
    }
}

/// `{{template "name" pipeline}}`, also produced by `{{block}}`.
final class TemplateNode: Node {
    let line: Int
    let name: [UInt8]
    let pipe: PipeNode?

    init(pos: Int, line: Int, name: [UInt8], pipe: PipeNode?) {
        self.line = line
        self.name = name
        self.pipe = pipe
        super.init(pos: pos)
    }

    override func write(to out: inout String) {
        out += "{{template " + displayString(GoStrconv.quote(name))
        if let pipe {
            out += " "
            pipe.write(to: &out)
        }
        out += "}}"
    }
}
