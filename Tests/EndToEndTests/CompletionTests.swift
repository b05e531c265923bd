import Foundation
import Testing

/// Shell completions come from swift-argument-parser; they must cover the kubeseal and kubectl
/// flags scripts and users type.
@Suite("Shell completions")
struct CompletionTests {
    @Test("bash, zsh and fish completion scripts list the flags", arguments: ["bash", "zsh", "fish"])
    func scripts(_ shell: String) throws {
        let workspace = try Workspace()
        let result = try workspace.sealkit(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for flag in ["re-encrypt", "recovery-unseal", "as-group", "insecure-skip-tls-verify", "request-timeout", "tls-server-name"] {
            #expect(result.stdout.contains(flag), "\(shell) completes --\(flag)")
        }
    }

    @Test("kubeseal's deprecated --rotate still works, with kubeseal's warning") func rotate() throws {
        let workspace = try Workspace()
        let result = try workspace.sealkit(["--rotate", "--server", "http://127.0.0.1:1", "--request-timeout", "1s"],
                                           stdin: "{\"apiVersion\":\"bitnami.com/v1alpha1\",\"kind\":\"SealedSecret\",\"metadata\":{\"name\":\"a\",\"namespace\":\"b\"},\"spec\":{\"encryptedData\":{\"k\":\"AgA=\"}}}")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Flag --rotate has been deprecated, please use --re-encrypt instead\n"))
        #expect(result.stderr.contains("cannot reach controller"), "it went on to re-encrypt: \(result.stderr)")
    }
}
