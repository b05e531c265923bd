import SealKit
import SecretTemplate

extension TemplateRenderer {
    /// The renderer as SealKit builds it: digests from OpenSSL.
    static func testing(limits: TemplateLimits = .default) -> TemplateRenderer {
        TemplateRenderer(limits: limits, digests: SecretDataTemplates.openSSLDigests)
    }
}
