import FuzzSupport
import SealKit

/// Fixed "decrypted" values the templates render over: text, JSON, bytes that are not UTF-8.
private let values: [String: [UInt8]] = [
    "username": Array("fuzz-admin".utf8),
    "password": Array("Qx7-wvT9kLm2".utf8),
    "config": Array(#"{"hosts":["a","b"],"port":5432,"tls":{"on":true}}"#.utf8),
    "binary": [0x00, 0xFF, 0xC3, 0x28, 0x80, 0x41, 0x0A],
]

/// The `spec.template.data` parser and renderer, several entries sharing one object's budget
/// exactly as the unsealer runs them (``UnsealBudget/cluster``). Input: the entries' templates,
/// separated by NUL bytes. Properties: the shared budget is never overdrawn, and no error
/// message (the full one, nor the public one) contains a secret value the template does not spell out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let templates = Input.bytes(data, size).split(separator: 0, omittingEmptySubsequences: false).prefix(8)
    let engine = SecretDataTemplates()
    let itemBytes = values.values.reduce(0) { $0 + $1.count }
    let limits = UnsealBudget.cluster
    var budget = RenderBudget(outputBytes: limits.maxSecretBytes - itemBytes, steps: limits.maxTemplateSteps)
    for (index, template) in templates.enumerated() {
        let text = String(decoding: template, as: UTF8.self)
        let before = budget
        do {
            let output = try engine.render(name: "entry\(index)", template: text, values: values, budget: &budget)
            require(output.count <= before.outputBytes, "output larger than the budget left")
            require(budget.outputBytes >= 0 && budget.steps >= 0, "budget overdrawn: \(budget)")
        } catch {
            for description in [String(describing: error), engine.publicDescription(of: error)] {
                for (name, value) in values where value.count >= 6 {
                    let secret = String(decoding: value, as: UTF8.self)
                    require(text.contains(secret) || !description.contains(secret), "an error message shows the value of \(name)")
                }
            }
            return 0
        }
    }
    return 0
}
