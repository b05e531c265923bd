/// The internal error type of parsing and execution, before it is located and turned into
/// the public `TemplateError`.
///
/// Messages follow Go's wording so they read like the reference controller's, with one
/// deliberate difference: they never embed data values (secrets, or numbers and strings
/// computed from them); where Go prints a value, these messages name its type instead.
enum TemplateFailure: Error {
    /// A syntax error, reported on `line` at byte `offset` of the template.
    case parse(message: String, line: Int, offset: Int)
    /// An execution error; the executor attaches the location of the node being evaluated.
    case execution(String)
    /// A template function failed; the executor reports it as "error calling NAME: ...".
    case function(String)
    /// A resource bound was exceeded. Parse-time limits carry their own location; during
    /// execution the executor supplies it.
    case limit(String, line: Int? = nil, offset: Int? = nil)
}
