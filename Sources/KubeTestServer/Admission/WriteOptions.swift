/// Options shared by create, update and patch requests.
struct WriteOptions: Sendable {
    /// `dryRun=All`: validate and answer as if written, but store nothing and emit no event.
    var dryRun = false
    var fieldValidation = FieldValidation.warn
}

/// Which part of an object an update may change.
enum WriteTarget: Sendable {
    /// The main resource: everything except `status` when a status subresource exists.
    case main
    /// The `status` subresource: only `status`.
    case status
}

/// The result of a successful write, with the warnings to send as `Warning` headers.
struct WriteResult: Sendable {
    let object: JSONValue
    let warnings: [String]
}
