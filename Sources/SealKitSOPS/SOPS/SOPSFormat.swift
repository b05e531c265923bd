/// The file formats SOPS stores, chosen from the file name as `sops` chooses them.
public enum SOPSFormat: String, Sendable, CaseIterable {
    case yaml, json, dotenv, ini, binary

    /// `.yaml`/`.yml`, `.json`, `.env`, `.ini`; anything else is binary.
    public static func from(path: String) -> SOPSFormat {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return .yaml }
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".env") { return .dotenv }
        if name.hasSuffix(".ini") { return .ini }
        return .binary
    }

    /// `--input-type`/`--output-type` names (sops's spellings).
    public init?(typeName: String) {
        switch typeName.lowercased() {
        case "yaml", "yml": self = .yaml
        case "json": self = .json
        case "dotenv", "env": self = .dotenv
        case "ini": self = .ini
        case "binary": self = .binary
        default: return nil
        }
    }
}
