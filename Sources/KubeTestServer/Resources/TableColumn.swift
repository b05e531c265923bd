import Foundation

/// One column of the server-side `Table` rendering that `kubectl get` asks for.
///
/// kubectl prints whatever columns the server defines, so these mirror the real printers
/// (`NAME TYPE DATA AGE` for Secrets) and, for SealedSecrets, the CRD's
/// `additionalPrinterColumns`.
struct TableColumn: Sendable {
    let name: String
    /// The OpenAPI type: `string`, `integer`, `date`...
    let type: String
    /// `name` for the name column, empty otherwise.
    let format: String
    let description: String
    /// 0 for default columns, 1 for columns only `-o wide` shows.
    let priority: Int
    /// The cell for one object at time `now`.
    let cell: @Sendable (_ object: JSONValue, _ now: Date) -> JSONValue

    /// The `columnDefinitions[]` entry.
    var definition: JSONValue {
        [
            "name": .string(name), "type": .string(type), "format": .string(format),
            "description": .string(description), "priority": .int(Int64(priority)),
        ]
    }

    static let name = TableColumn(
        name: "Name", type: "string", format: "name",
        description: "Name must be unique within a namespace.", priority: 0
    ) { object, _ in .string(object.name) }

    static let age = TableColumn(
        name: "Age", type: "string", format: "",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
        priority: 0
    ) { object, now in .string(HumanDuration.age(of: object.creationTimestamp, now: now)) }

    /// A column showing the string at a path of object keys, or `fallback` when absent.
    static func string(
        _ name: String, path: [String], description: String, priority: Int = 0, fallback: String = "<none>"
    ) -> TableColumn {
        TableColumn(name: name, type: "string", format: "", description: description, priority: priority) { object, _ in
            .string(object[path: path]?.stringValue ?? fallback)
        }
    }
}
