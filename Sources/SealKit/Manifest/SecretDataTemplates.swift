public import SecretTemplate

/// The `spec.template.data` engine SealKit uses everywhere: Go text/template + Sprig, rendered
/// the way Bitnami's controller renders it, with OpenSSL's digests.
public struct SecretDataTemplates: TemplateDataRendering {
    let renderer: TemplateRenderer

    public init(limits: TemplateLimits = .default) {
        renderer = TemplateRenderer(limits: limits, digests: Self.openSSLDigests)
    }

    public func render(name: String, template: String, values: [String: [UInt8]]) throws -> [UInt8] {
        try renderer.render(name: name, template: template, values: values)
    }

    public static let openSSLDigests = TemplateDigests(
        sha1: { Digest.sha1($0) },
        sha256: { Digest.sha256($0) },
        sha512: { Digest.sha512($0) }
    )
}
