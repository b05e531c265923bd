internal import SealKitYAML

/// SOPS's YAML store: documents are branches (each a mapping), comments are tree items, and
/// scalars are typed as go-yaml v3 types them.
enum SOPSYAMLStore {
    static func load(_ bytes: [UInt8], source: String) throws(SOPSError) -> [[SOPSItem]] {
        let documents: [CommentedYAMLReader.Document]
        do { documents = try CommentedYAMLReader.documents(bytes) } catch {
            throw SOPSError(.malformed, "\(source): \(error)")
        }
        var branches: [[SOPSItem]] = []
        for document in documents {
            switch document.root {
            case .mapping(let items)?:
                branches.append(mapping(items))
            case nil:
                // An empty document (or only comments) is an empty branch, as go-yaml's null document.
                branches.append(document.comments.map { .comment($0, inline: false) })
            case .scalar(let scalar)? where scalar.style == .plain && GoYAMLScalars.resolvePlain(scalar.text) == .null:
                branches.append([])
            default:
                throw SOPSError(.malformed, "\(source): document \(document.index): SOPS YAML documents must be mappings")
            }
        }
        return branches
    }

    static func emit(_ branches: [[SOPSItem]]) -> [UInt8] {
        GoYAMLEmitter.emit(branches)
    }

    private static func mapping(_ items: [CommentedNode.MappingItem]) -> [SOPSItem] {
        var result: [SOPSItem] = []
        // sops places a value's trailing comment before its entry (go-yaml's LineComment).
        var lastEntry: Int?
        for item in items {
            switch item {
            case .comment(let text, let inline):
                if inline, let index = lastEntry {
                    result.insert(.comment(text, inline: true), at: index)
                    lastEntry = index + 1
                } else {
                    result.append(.comment(text, inline: false))
                    lastEntry = nil
                }
            case .entry(let key, let value):
                lastEntry = result.count
                result.append(.entry(key.text, node(value)))
            }
        }
        return result
    }

    private static func sequence(_ items: [CommentedNode.SequenceItem]) -> [SOPSValue] {
        var result: [SOPSValue] = []
        var lastItem: Int?
        for item in items {
            switch item {
            case .comment(let text, let inline):
                if inline, let index = lastItem {
                    result.insert(.comment(text, inline: true), at: index)
                    lastItem = index + 1
                } else {
                    result.append(.comment(text, inline: false))
                    lastItem = nil
                }
            case .node(let value):
                lastItem = result.count
                result.append(node(value))
            }
        }
        return result
    }

    private static func node(_ node: CommentedNode) -> SOPSValue {
        switch node {
        case .mapping(let items): .mapping(mapping(items))
        case .sequence(let items): .sequence(sequence(items))
        case .scalar(let scalar): value(scalar)
        }
    }

    /// go-yaml's `Decode` into `interface{}`: quoted scalars and `!!str` are strings; plain ones
    /// go through the resolver; other explicit tags are honoured where SOPS can carry them.
    static func value(_ scalar: CommentedScalar) -> SOPSValue {
        switch scalar.tag {
        case "tag:yaml.org,2002:str"?, "!"?: return .string(scalar.text)
        case "tag:yaml.org,2002:int"?:
            if let number = GoYAMLScalars.goParseInt(scalar.text.replacingOccurrences(of: "_", with: "")) { return .int(number) }
        case "tag:yaml.org,2002:float"?:
            if let number = Double(scalar.text) { return .float(number) }
        case "tag:yaml.org,2002:bool"?, "tag:yaml.org,2002:null"?:
            return GoYAMLScalars.resolvePlain(scalar.text)
        default: break
        }
        guard scalar.style == .plain else { return .string(scalar.text) }
        return GoYAMLScalars.resolvePlain(scalar.text)
    }
}
