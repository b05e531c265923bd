/// A parsed `labelSelector` query parameter, with the grammar and matching rules of
/// `k8s.io/apimachinery/pkg/labels`.
///
/// Requirements are separated by commas and all must hold: `k=v`, `k==v`, `k!=v`,
/// `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k` (does not exist), `k>n`, `k<n`.
/// As in Kubernetes, `!=` and `notin` also match objects that do not have the label.
struct LabelSelector: Sendable, Equatable {
    enum Operator: Sendable, Equatable {
        case equals, notEquals, `in`, notIn, exists, doesNotExist, greaterThan, lessThan
    }

    struct Requirement: Sendable, Equatable {
        let key: String
        let op: Operator
        let values: [String]

        func matches(_ labels: [String: String]) -> Bool {
            let value = labels[key]
            switch op {
            case .equals, .in: return value.map(values.contains) ?? false
            case .notEquals, .notIn: return value.map { !values.contains($0) } ?? true
            case .exists: return value != nil
            case .doesNotExist: return value == nil
            case .greaterThan, .lessThan:
                guard let value, let actual = Int64(value), let bound = values.first.flatMap({ Int64($0) }) else {
                    return false
                }
                return op == .greaterThan ? actual > bound : actual < bound
            }
        }
    }

    let requirements: [Requirement]

    /// The selector that matches everything.
    static let everything = LabelSelector(requirements: [])

    var isEverything: Bool { requirements.isEmpty }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    /// Parses selector text; the error message is the 400 answer's.
    static func parse(_ text: String) throws(KubeAPIError) -> LabelSelector {
        var lexer = Lexer(text)
        var requirements: [Requirement] = []
        if lexer.peek() == .end { return .everything }
        while true {
            requirements.append(try parseRequirement(&lexer, text: text))
            switch lexer.next() {
            case .comma: continue
            case .end: return LabelSelector(requirements: requirements)
            case let token: throw failure(text, "found '\(token.text)', expected: ',' or 'end of string'")
            }
        }
    }

    private static func failure(_ text: String, _ detail: String) -> KubeAPIError {
        .badRequest("unable to parse requirement: \(detail)")
    }

    private static func parseRequirement(_ lexer: inout Lexer, text: String) throws(KubeAPIError) -> Requirement {
        var token = lexer.next()
        if token == .bang {
            guard case .identifier(let key) = lexer.next() else {
                throw failure(text, "found '\(token.text)', expected: identifier")
            }
            return Requirement(key: key, op: .doesNotExist, values: [])
        }
        guard case .identifier(let key) = token else {
            throw failure(text, "found '\(token.text)', expected: !, identifier, or 'end of string'")
        }
        try validateKey(key, text: text)
        switch lexer.peek() {
        case .comma, .end:
            return Requirement(key: key, op: .exists, values: [])
        default:
            break
        }
        token = lexer.next()
        let op: Operator
        switch token {
        case .equals, .doubleEquals: op = .equals
        case .notEquals: op = .notEquals
        case .identifier("in"): op = .in
        case .identifier("notin"): op = .notIn
        case .greaterThan: op = .greaterThan
        case .lessThan: op = .lessThan
        default:
            throw failure(text, "found '\(token.text)', expected: in, notin, =, ==, !=, gt, lt")
        }
        switch op {
        case .in, .notIn:
            guard lexer.next() == .openParenthesis else {
                throw failure(text, "found '\(token.text)', expected: '('")
            }
            var values: [String] = []
            while true {
                switch lexer.next() {
                case .identifier(let value):
                    values.append(value)
                    switch lexer.next() {
                    case .comma: continue
                    case .closeParenthesis: return Requirement(key: key, op: op, values: values)
                    case let other: throw failure(text, "found '\(other.text)', expected: ',' or ')'")
                    }
                case .closeParenthesis where values.isEmpty:
                    return Requirement(key: key, op: op, values: [""])
                case let other:
                    throw failure(text, "found '\(other.text)', expected: identifier")
                }
            }
        case .greaterThan, .lessThan:
            guard case .identifier(let value) = lexer.next(), Int64(value) != nil else {
                throw failure(text, "for 'Gt', 'Lt' operators, the value must be an integer")
            }
            return Requirement(key: key, op: op, values: [value])
        default:
            switch lexer.peek() {
            case .identifier(let value):
                _ = lexer.next()
                return Requirement(key: key, op: op, values: [value])
            case .comma, .end:
                return Requirement(key: key, op: op, values: [""])
            case let other:
                throw failure(text, "found '\(other.text)', expected: identifier")
            }
        }
    }

    /// Label keys are an optional DNS-subdomain prefix and a name of at most 63 characters.
    private static func validateKey(_ key: String, text: String) throws(KubeAPIError) {
        let name = key.split(separator: "/", maxSplits: 1).last.map(String.init) ?? key
        if key.hasPrefix("/") || key.hasSuffix("/") || name.isEmpty || name.count > 63
            || key.filter({ $0 == "/" }).count > 1 {
            throw .badRequest("unable to parse requirement: invalid label key \"\(key)\"")
        }
    }
}

// MARK: - Lexer

extension LabelSelector {
    fileprivate enum Token: Equatable {
        case identifier(String)
        case comma, bang, equals, doubleEquals, notEquals, greaterThan, lessThan
        case openParenthesis, closeParenthesis, end, invalid(String)

        var text: String {
            switch self {
            case .identifier(let value): value
            case .comma: ","
            case .bang: "!"
            case .equals: "="
            case .doubleEquals: "=="
            case .notEquals: "!="
            case .greaterThan: ">"
            case .lessThan: "<"
            case .openParenthesis: "("
            case .closeParenthesis: ")"
            case .end: "end of string"
            case .invalid(let value): value
            }
        }
    }

    fileprivate struct Lexer {
        private let characters: [Character]
        private var position = 0

        init(_ text: String) { characters = Array(text) }

        func peek() -> Token {
            var copy = self
            return copy.next()
        }

        mutating func next() -> Token {
            while position < characters.count, characters[position].isWhitespace { position += 1 }
            guard position < characters.count else { return .end }
            let character = characters[position]
            position += 1
            switch character {
            case ",": return .comma
            case "(": return .openParenthesis
            case ")": return .closeParenthesis
            case ">": return .greaterThan
            case "<": return .lessThan
            case "!":
                if position < characters.count, characters[position] == "=" { position += 1; return .notEquals }
                return .bang
            case "=":
                if position < characters.count, characters[position] == "=" { position += 1; return .doubleEquals }
                return .equals
            default:
                guard Self.isIdentifierCharacter(character) else { return .invalid(String(character)) }
                var identifier = String(character)
                while position < characters.count, Self.isIdentifierCharacter(characters[position]) {
                    identifier.append(characters[position])
                    position += 1
                }
                return .identifier(identifier)
            }
        }

        static func isIdentifierCharacter(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || "-_./".contains(character))
        }
    }
}
