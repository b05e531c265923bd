/// Kubernetes' syntax for the names SealKit writes into a SealedSecret: `metadata.name` is an
/// RFC 1123 subdomain and `metadata.namespace` an RFC 1123 label (apimachinery's
/// `IsDNS1123Subdomain` / `IsDNS1123Label`). The name and namespace are also sealed into every
/// ciphertext's label, so a SealedSecret with a bad one is useless twice over: the API server
/// refuses it, and renaming it afterwards breaks every item. Caught when sealing, with the API
/// server's own words so a search for the message finds the Kubernetes documentation.
enum ObjectNameRules {
    static let subdomainMaximumLength = 253
    static let labelMaximumLength = 63

    static let subdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
        + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    // The two spaces before "or" are apimachinery's (its RegexError joins examples that way).
    static let labelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

    /// Refuses a name or namespace the API server would refuse for an object of `kind`, worded as
    /// it words it: `Secret "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": …`.
    static func check(kind: String, name: String, namespace: String?) throws(ManifestError) {
        var problems = nameProblems(name).map { "metadata.name: Invalid value: \(goQuoted(name)): \($0)" }
        if let namespace, !namespace.isEmpty {
            problems += namespaceProblems(namespace).map { "metadata.namespace: Invalid value: \(goQuoted(namespace)): \($0)" }
        }
        guard !problems.isEmpty else { return }
        let detail = problems.count == 1 ? problems[0] : "[" + problems.joined(separator: ", ") + "]"
        throw ManifestError("\(kind) \(goQuoted(name)) is invalid: \(detail)")
    }

    /// Problems with an object name, in apimachinery's order (length first).
    static func nameProblems(_ name: String) -> [String] {
        var problems: [String] = []
        if name.utf8.count > subdomainMaximumLength { problems.append("must be no more than \(subdomainMaximumLength) characters") }
        let labels = name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if !labels.allSatisfy(isLabel) { problems.append(subdomainMessage) }
        return problems
    }

    /// Problems with a namespace name.
    static func namespaceProblems(_ namespace: String) -> [String] {
        var problems: [String] = []
        if namespace.utf8.count > labelMaximumLength { problems.append("must be no more than \(labelMaximumLength) characters") }
        if !isLabel(namespace.utf8) { problems.append(labelMessage) }
        return problems
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, on bytes.
    private static func isLabel<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard let first = bytes.first, isLowerAlphanumeric(first), let last = bytes.reversed().first, isLowerAlphanumeric(last)
        else { return false }
        return bytes.allSatisfy { isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// Go's `%q` for the characters a bad name may hold: quotes and backslashes escaped, control
    /// characters as escapes, so the error stays on one line whatever the input held.
    static func goQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f:
                quoted += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            case _ where (0x80..<0xa0).contains(scalar.value) || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator:
                quoted += "\\u" + String(repeating: "0", count: max(0, 4 - String(scalar.value, radix: 16).count)) + String(scalar.value, radix: 16)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
