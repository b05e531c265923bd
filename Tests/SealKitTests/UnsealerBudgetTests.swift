import Foundation
import SealKit
import Testing

/// What one hostile object may cost, and how few RSA operations an honest one needs.
@Suite("Unsealer budgets and key hints")
struct UnsealerBudgetTests {
    static let sealer = Sealer(publicKey: Fixtures.certificate.publicKey)

    static func sealed(items: Int, templates: [(key: String, template: String)] = []) throws -> SealedSecret {
        var secret = Secret(metadata: ObjectMetadata(name: "db", namespace: "prod"))
        secret.items = (0 ..< items).map { .init(key: "item\($0)", value: SecretBytes(Array("value-\($0)".utf8))) }
        var sealed = try sealer.seal(secret)
        sealed.template.data = templates
        return sealed
    }

    @Test("the key that opened one value is tried first for the next: items + 1 attempts, not items × keys")
    func keyHintWithinObject() throws {
        let unsealer = Unsealer(keys: [Fixtures.otherPrivateKey, Fixtures.privateKey])
        let outcome = try unsealer.unsealReportingKeys(try Self.sealed(items: 5))
        #expect(outcome.rsaAttempts == 6)
        #expect(outcome.valuesOpened == 5)
        #expect(outcome.keysUsed == [1])
        // A right hint: exactly one operation per value.
        #expect(try unsealer.unsealReportingKeys(try Self.sealed(items: 5), preferredKeys: [1]).rsaAttempts == 5)
        // A wrong hint costs attempts, never a missed key.
        #expect(try unsealer.unsealReportingKeys(try Self.sealed(items: 5), preferredKeys: [0, 7, -1]).secret.items.count == 5)
    }

    @Test("a key whose modulus differs from the wrapped key's length is skipped without a private operation")
    func modulusSizeSkip() throws {
        let small = try PrivateKey.generateRSA(bits: 2048)
        let outcome = try Unsealer(keys: [small, small, Fixtures.privateKey]).unsealReportingKeys(try Self.sealed(items: 3))
        #expect(outcome.rsaAttempts == 3)
    }

    @Test("the first value no key opens ends the attempt: later items are not tried")
    func stopsAtFirstFailure() throws {
        var sealed = try Self.sealed(items: 4)
        let foreign = Sealer(publicKey: try PrivateKey.generateRSA(bits: 2048).publicKey)
        let stranger = try foreign.sealRaw(SecretBytes(Array("x".utf8)), scope: .strict, namespace: "prod", name: "db")
        sealed.setCiphertext(stranger, for: "item0")
        sealed.setCiphertext(stranger, for: "item2")
        #expect {
            try Unsealer(keys: [Fixtures.otherPrivateKey, Fixtures.privateKey]).unseal(sealed)
        } throws: { error in
            let error = error as! ManifestError
            return error.itemFailures.map(\.item) == ["item0"]
        }
    }

    @Test("more items than the budget: refused before any RSA operation")
    func itemBudget() throws {
        let budget = UnsealBudget(maxItems: 3, maxTemplateEntries: 10, maxSecretBytes: 1 << 20, maxTemplateSteps: 1000)
        #expect(throws: ManifestError.self) { try Unsealer(keys: [Fixtures.privateKey], budget: budget).unseal(try Self.sealed(items: 4)) }
        #expect(Unsealer(keys: [Fixtures.privateKey], budget: budget).canDecrypt(try Self.sealed(items: 4)) == false)
    }

    @Test("many 1 MB template entries: over the object's budget after the first, with a message that reveals no figure")
    func renderedOutputBudget() throws {
        let entries = (0 ..< 50).map { (key: "e\($0)", template: #"{{repeat 1000000 "x"}}"#) }
        let unsealer = Unsealer(keys: [Fixtures.privateKey], templates: SecretDataTemplates())
        #expect {
            try unsealer.unseal(try Self.sealed(items: 1, templates: entries))
        } throws: { error in
            let message = "\(error)"
            return message.contains("over the object's budget: output too large") && message.contains("e1")
        }
    }

    @Test("template steps are counted across entries, not per entry")
    func stepBudget() throws {
        let loop = "{{range $i := until 300}}{{end}}"
        let budget = UnsealBudget(maxItems: 10, maxTemplateEntries: 10, maxSecretBytes: 1 << 20, maxTemplateSteps: 2000)
        let unsealer = Unsealer(keys: [Fixtures.privateKey], templates: SecretDataTemplates(), budget: budget)
        // One entry fits; eight of the same do not.
        #expect(try unsealer.unseal(try Self.sealed(items: 1, templates: [("a", loop)])).items.count == 2)
        #expect {
            try unsealer.unseal(try Self.sealed(items: 1, templates: (0 ..< 8).map { ("e\($0)", loop) }))
        } throws: { error in "\(error)".contains("too much template work") }
        let tooMany = UnsealBudget(maxItems: 10, maxTemplateEntries: 2, maxSecretBytes: 1 << 20, maxTemplateSteps: 2000)
        #expect(throws: ManifestError.self) {
            try Unsealer(keys: [Fixtures.privateKey], templates: SecretDataTemplates(), budget: tooMany)
                .unseal(try Self.sealed(items: 1, templates: (0 ..< 3).map { ("e\($0)", "x") }))
        }
    }

    @Test("a value-dependent failure is withheld from the message, unless the key holder asks")
    func executionErrorsWithheld() throws {
        let probe = #"{{if eq (substr 0 1 .item0) "v"}}{{fail "starts-with-v"}}{{end}}"#
        let sealed = try Self.sealed(items: 1, templates: [("x", probe)])
        #expect {
            try Unsealer(keys: [Fixtures.privateKey], templates: SecretDataTemplates()).unseal(sealed)
        } throws: { error in
            let message = "\(error)"
            return message.contains("execution failed") && !message.contains("starts-with-v")
        }
        #expect {
            try Unsealer(keys: [Fixtures.privateKey], templates: SecretDataTemplates(), budget: .offline, revealsContentErrors: true).unseal(sealed)
        } throws: { error in "\(error)".contains("starts-with-v") }
    }
}
