import Foundation

/// The Kubernetes objects of a manifest stream, with `List`s opened up: `kubectl get -o yaml`
/// writes a `List` (or `SecretList`, `SealedSecretList`) whose `items` hide a Secret from any
/// check that looks only at top-level kinds.
struct ManifestObject {
    /// 1-based document index, as ``YAMLReader`` and ``SourceMap`` number documents.
    var document: Int
    /// Path from the document root to the object (empty, or `items[3]`, nested for lists in lists).
    var path: [SourceMap.PathComponent]
    var object: Mapping

    var kind: String { object["kind"]?.scalar?.text ?? "" }
    var apiVersion: String { object["apiVersion"]?.scalar?.text ?? "" }

    /// `metadata.name`, for messages.
    var name: String? {
        guard let scalar = object["metadata"]?.mapping?["name"]?.scalar, scalar.kind != .null, !scalar.text.isEmpty else { return nil }
        return scalar.text
    }

    /// Where the object is, for messages: `document 2`, or `document 1, items[3]` inside a list.
    var location: String {
        let inside = path.map(\.description).joined().replacingOccurrences(of: "items[", with: ".items[")
        return "document \(document)" + (inside.isEmpty ? "" : ", " + String(inside.dropFirst()))
    }

    /// Every object in `documents`, lists flattened (to a bounded depth: YAML nesting is
    /// bounded by the reader already, this only keeps the walk obviously finite).
    static func all(in documents: [YAMLReader.Document]) -> [ManifestObject] {
        var result: [ManifestObject] = []
        func visit(_ node: Node, document: Int, path: [SourceMap.PathComponent], depth: Int) {
            guard let object = node.mapping else { return }
            let kind = object["kind"]?.scalar?.text ?? ""
            if kind.hasSuffix("List"), let items = object["items"]?.sequence, depth < 8 {
                for (index, item) in items.enumerated() {
                    visit(item, document: document, path: path + [.key("items"), .index(index)], depth: depth + 1)
                }
                return
            }
            result.append(ManifestObject(document: document, path: path, object: object))
        }
        for document in documents {
            visit(document.root, document: document.index, path: [], depth: 0)
        }
        return result
    }
}
