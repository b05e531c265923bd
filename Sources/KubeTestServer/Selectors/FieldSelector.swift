/// A parsed `fieldSelector` query parameter (`k8s.io/apimachinery/pkg/fields`).
///
/// Terms `path=value`, `path==value` and `path!=value` are separated by commas and all must
/// hold; `\,`, `\=` and `\\` escape those characters in values. Which paths are allowed depends
/// on the resource, as in a real cluster (`metadata.name` and `metadata.namespace` always).
struct FieldSelector: Sendable, Equatable {
    struct Term: Sendable, Equatable {
        let path: String
        let value: String
        let negated: Bool
    }

    let terms: [Term]

    static let everything = FieldSelector(terms: [])

    var isEverything: Bool { terms.isEmpty }

    /// The name required by a `metadata.name=` term, which lets lookups skip a scan.
    var requiredName: String? {
        terms.first { $0.path == "metadata.name" && !$0.negated }?.value
    }

    func matches(_ object: JSONValue) -> Bool {
        terms.allSatisfy { term in
            let actual = Self.value(of: term.path, in: object)
            return term.negated ? actual != term.value : actual == term.value
        }
    }

    /// The selectable value at a dotted path; missing fields select as the empty string.
    static func value(of path: String, in object: JSONValue) -> String {
        let value = object[path: path.split(separator: ".").map(String.init)]
        switch value {
        case .string(let string)?: return string
        case .int(let number)?: return String(number)
        case .bool(let flag)?: return String(flag)
        default: return ""
        }
    }

    /// Parses selector text and checks each path against what `definition` supports.
    static func parse(_ text: String, for definition: ResourceDefinition) throws(KubeAPIError) -> FieldSelector {
        var terms: [Term] = []
        for rawTerm in splitUnescaped(text, on: ",") where !rawTerm.isEmpty {
            let term = try parseTerm(rawTerm)
            guard definition.supportsFieldSelector(term.path) else {
                throw .badRequest("field label not supported: \(term.path)")
            }
            terms.append(term)
        }
        return FieldSelector(terms: terms)
    }

    private static func parseTerm(_ text: String) throws(KubeAPIError) -> Term {
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            if characters[index] == "\\" {
                index += 2
                continue
            }
            if characters[index] == "!", index + 1 < characters.count, characters[index + 1] == "=" {
                return Term(path: String(characters[..<index]), value: unescape(characters[(index + 2)...]), negated: true)
            }
            if characters[index] == "=" {
                let valueStart = index + 1 < characters.count && characters[index + 1] == "=" ? index + 2 : index + 1
                return Term(path: String(characters[..<index]), value: unescape(characters[valueStart...]), negated: false)
            }
            index += 1
        }
        throw .badRequest("invalid selector: '\(text)'; can't understand '\(text)'")
    }

    private static func unescape(_ characters: ArraySlice<Character>) -> String {
        var result = ""
        var escaping = false
        for character in characters {
            if escaping {
                result.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func splitUnescaped(_ text: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for character in text {
            if escaping {
                current.append(character)
                escaping = false
            } else if character == "\\" {
                current.append(character)
                escaping = true
            } else if character == separator {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}
