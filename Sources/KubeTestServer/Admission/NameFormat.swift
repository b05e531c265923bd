/// The syntax a resource's object names must follow, with the real validation messages.
///
/// Most kinds take RFC 1123 subdomains; Namespaces take RFC 1123 labels and Services RFC 1035
/// labels (their names become DNS labels). Getting this right lets client tests see the same
/// 422 a real cluster would give for `Bad_Name`.
enum NameFormat: Sendable {
    case dnsSubdomain
    case dnsLabel
    case dns1035Label

    /// Problems with `name`, worded like `k8s.io/apimachinery/pkg/util/validation`.
    func problems(_ name: String) -> [String] {
        switch self {
        case .dnsSubdomain:
            var problems: [String] = []
            if name.utf8.count > 253 { problems.append("must be no more than 253 characters") }
            let labels = name.split(separator: ".", omittingEmptySubsequences: false)
            if !labels.allSatisfy({ Self.isRFC1123Label($0) }) {
                problems.append(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                        + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
            }
            return problems
        case .dnsLabel:
            var problems: [String] = []
            if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
            if !Self.isRFC1123Label(Substring(name)) {
                problems.append(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                        + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
            }
            return problems
        case .dns1035Label:
            var problems: [String] = []
            if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
            if !Self.isRFC1123Label(Substring(name)) || !(name.first?.isLetter ?? false) {
                problems.append(
                    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                        + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
                        + "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
            }
            return problems
        }
    }

    private static func isLowerAlphanumeric(_ character: Character) -> Bool {
        character.isASCII && (character.isLowercase || character.isNumber)
    }

    private static func isRFC1123Label(_ label: Substring) -> Bool {
        guard let first = label.first, let last = label.last else { return false }
        return isLowerAlphanumeric(first) && isLowerAlphanumeric(last)
            && label.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" }
    }
}
