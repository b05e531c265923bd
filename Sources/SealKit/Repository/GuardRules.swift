/// What `sealkit guard` looks for. Ids are stable: allow-lists and SARIF results name them.
public enum GuardRules {
    static let plaintextSecret = FindingRule(
        id: "plaintext-secret", summary: "a Kubernetes Secret with plaintext data or stringData",
        help: "Seal it (sealkit -f secret.yaml -w sealed.yaml) and commit only the SealedSecret; "
            + "if it was ever pushed, treat the values as leaked and rotate them.")
    static let notSealed = FindingRule(
        id: "not-sealed", summary: "a file the policy's requireSealed says may hold only SealedSecrets holds something else",
        help: "Keep only SealedSecrets under these paths, or change requireSealed in .sealkit.yaml.")
    static let privateKey = FindingRule(
        id: "private-key", summary: "a PEM private key (or a base64-encoded one)",
        help: "Private keys do not belong in git: remove it, rotate the key, and deliver it as a SealedSecret.")
    static let keystoreFile = FindingRule(
        id: "keystore-file", summary: "a PKCS#12 key store (.p12, .pfx), which normally holds a private key",
        help: "Remove it from the repository and deliver it as a SealedSecret.")
    static let awsAccessKeyID = FindingRule(
        id: "aws-access-key-id", summary: "an AWS access key ID",
        help: "Deactivate the key in IAM and use a SealedSecret or workload identity instead.")
    static let awsSecretAccessKey = FindingRule(
        id: "aws-secret-access-key", summary: "an AWS secret access key assigned to aws_secret_access_key or similar",
        help: "Deactivate the key in IAM and use a SealedSecret or workload identity instead.")
    static let githubToken = FindingRule(
        id: "github-token", summary: "a GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)",
        help: "Revoke it on GitHub and deliver the replacement as a SealedSecret.")
    static let gitlabToken = FindingRule(
        id: "gitlab-token", summary: "a GitLab personal access token (glpat-)",
        help: "Revoke it on GitLab and deliver the replacement as a SealedSecret.")
    static let slackToken = FindingRule(
        id: "slack-token", summary: "a Slack API token (xoxb-, xoxp-, …) or incoming-webhook URL",
        help: "Revoke it in Slack and deliver the replacement as a SealedSecret.")
    static let googleAPIKey = FindingRule(
        id: "google-api-key", summary: "a Google API key (AIza…)",
        help: "Delete or restrict the key in the Google Cloud console and deliver the replacement as a SealedSecret.")
    static let stripeSecretKey = FindingRule(
        id: "stripe-secret-key", summary: "a Stripe live secret or restricted key (sk_live_, rk_live_)",
        help: "Roll the key in the Stripe dashboard and deliver the replacement as a SealedSecret.")
    static let npmToken = FindingRule(
        id: "npm-token", summary: "an npm access token (npm_)",
        help: "Revoke it on npmjs.com and deliver the replacement as a SealedSecret.")
    static let urlCredentials = FindingRule(
        id: "url-credentials", summary: "a URL with an embedded password (scheme://user:password@host)",
        help: "Move the password out of the URL into a SealedSecret and build the URL at run time.")

    /// Every rule, in the order reports and `--list-rules` present them.
    public static let all: [FindingRule] = [
        plaintextSecret, notSealed, privateKey, keystoreFile, awsAccessKeyID, awsSecretAccessKey, githubToken,
        gitlabToken, slackToken, googleAPIKey, stripeSecretKey, npmToken, urlCredentials,
    ]
}
