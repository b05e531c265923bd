public import SecretTemplate

/// The `spec.template.data` engine SealKit uses everywhere: Go text/template + Sprig, rendered
/// the way Bitnami's controller renders it, with OpenSSL's digests.
public struct SecretDataTemplates: TemplateDataRendering {
    let renderer: TemplateRenderer

    public init(limits: TemplateLimits = .default) {
        renderer = TemplateRenderer(limits: limits, digests: Self.openSSLDigests)
    }

    public func render(name: String, template: String, values: [String: [UInt8]], budget: inout RenderBudget) throws -> [UInt8] {
        let limits = TemplateLimits(maxOutputBytes: min(budget.outputBytes, renderer.limits.maxOutputBytes),
                                    maxSteps: min(budget.steps, renderer.limits.maxSteps))
        let (output, steps) = try renderer.render(name: name, template: template, values: values, limits: limits)
        budget.steps -= steps
        budget.outputBytes -= output.count
        return output
    }

    /// What a failed render may say outside the process. A parse error depends on the template
    /// text alone; an execution error may depend on the values (`fail`, a type error over a
    /// decrypted value, which branch was taken), so only the entry it concerns is named.
    public func publicDescription(of error: any Error) -> String {
        guard let error = error as? TemplateError else { return "cannot render" }
        switch error.phase {
        case .parse: return error.description
        case .limit:
            // The limit's exact figure would tell how much of the budget the values used.
            let what = error.message.contains("steps") ? "too much template work"
                : error.message.contains("levels") ? "nesting too deep" : "output too large"
            return "template: \(error.entry): over the object's budget: \(what)"
        case .execute: return "template: \(error.entry): execution failed (details withheld: they may depend on secret values; sealkit --recovery-unseal shows them)"
        }
    }

    public static let openSSLDigests = TemplateDigests(
        sha1: { Digest.sha1($0) },
        sha256: { Digest.sha256($0) },
        sha512: { Digest.sha512($0) }
    )
}
