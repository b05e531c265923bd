/// What `sealkit lint` checks, offline: no cluster, no private key. Ids are stable: SARIF
/// results and CI filters name them.
public enum LintRules {
    static let invalidYAML = FindingRule(
        id: "invalid-yaml", summary: "a file that mentions SealedSecret is not valid YAML or JSON",
        help: "Fix the syntax: kubectl, Argo CD and Flux will refuse the whole file.")
    static let invalidSealedSecret = FindingRule(
        id: "invalid-sealedsecret", summary: "a SealedSecret that does not parse (wrong apiVersion, field types, no name)",
        help: "The controller cannot use it; seal the Secret again.")
    static let ciphertextBase64 = FindingRule(
        id: "ciphertext-base64", summary: "an encryptedData value that is not standard base64",
        help: "The value was damaged (wrapped, truncated, edited); seal it again.")
    static let ciphertextFraming = FindingRule(
        id: "ciphertext-framing", summary: "an encryptedData value too short for its 2-byte length prefix, RSA part and AES-GCM tag",
        help: "The value is not a Sealed Secrets ciphertext or was truncated; seal it again.")
    static let ciphertextKeySize = FindingRule(
        id: "ciphertext-key-size", summary: "an encryptedData value whose RSA part does not fit the cluster's key size",
        help: "It was sealed with another cluster's certificate (or a key below 2048 bits); seal it again for the cluster this path deploys to.")
    static let scopeMismatch = FindingRule(
        id: "scope-mismatch", summary: "scope annotations differ between metadata and spec.template.metadata",
        help: "The controller decrypts with the top-level scope only; a difference is the commonest cause of "
            + "\"no key could decrypt secret\". Seal again with the scope you mean (--scope) instead of editing annotations.")
    static let scopeAnnotationValue = FindingRule(
        id: "scope-annotation-value", summary: "a scope annotation whose value is not \"true\" or \"false\"",
        help: "The controller honours only the exact string \"true\"; anything else (True, yes, 1) means strict.")
    static let scopePolicy = FindingRule(
        id: "scope-policy", summary: "a SealedSecret whose scope differs from the one the policy sets for its path",
        help: "Seal it again inside the repository (sealkit -w PATH) so the policy's scope applies, or change the rule.")
    static let missingNamespace = FindingRule(
        id: "missing-namespace", summary: "a strict or namespace-wide SealedSecret without metadata.namespace",
        help: "The namespace is bound into the ciphertext; without it the object decrypts only if applied to the namespace "
            + "it happened to be sealed for. Set metadata.namespace.")
    static let lastAppliedConfiguration = FindingRule(
        id: "last-applied-configuration", summary: "kubectl.kubernetes.io/last-applied-configuration in spec.template",
        help: "kubectl's copy of the applied Secret may hold the plaintext: remove the annotation, and rotate the values if it held them.")
    static let policyCertificate = FindingRule(
        id: "policy-certificate", summary: "a cluster's certificate file in the policy is missing, unreadable, expired, or does not match its pin",
        help: "Fetch the certificate again (sealkit --fetch-cert), check its fingerprint out of band, and update the pin.")
    static let policyKeySize = FindingRule(
        id: "policy-key-size", summary: "a cluster's keyBits in the policy differs from its certificate's key",
        help: "Correct keyBits (or drop it: the certificate file says the size).")

    /// Every rule, in the order reports and `--list-rules` present them.
    public static let all: [FindingRule] = [
        invalidYAML, invalidSealedSecret, ciphertextBase64, ciphertextFraming, ciphertextKeySize, scopeMismatch,
        scopeAnnotationValue, scopePolicy, missingNamespace, lastAppliedConfiguration, policyCertificate, policyKeySize,
    ]
}
