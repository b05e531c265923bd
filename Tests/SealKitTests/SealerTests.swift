import Testing
@testable import SealKit

@Suite("Sealing and unsealing objects")
struct SealerTests {
    static let sealer = Sealer(publicKey: Fixtures.certificate.publicKey)
    static let unsealer = Unsealer(keys: [Fixtures.privateKey])

    private func secret(_ yaml: String) throws -> Secret {
        try Secret(node: try #require(try YAMLReader.manifests(Array(yaml.utf8)).first).root)
    }

    static let input = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          uid: 0000-1111
          resourceVersion: "42"
          creationTimestamp: "2024-01-01T00:00:00Z"
          labels: {app: db}
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"leak"}}'
            team: a
          ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: x, uid: y}]
          finalizers: [keep.me]
        type: Opaque
        immutable: true
        data:
          password: aHVudGVyMg==
          both: ZnJvbS1kYXRh
        stringData:
          both: from-stringData
          port: "0123"
        """

    @Test("metadata rules of DESIGN 1.3") func metadataRules() throws {
        let sealed = try Self.sealer.seal(try secret(Self.input))
        #expect(sealed.metadata.fields.keys == ["name", "namespace"])
        let template = sealed.template.metadata
        for field in ["uid", "resourceVersion", "creationTimestamp", "ownerReferences"] {
            #expect(template.fields[field] == nil, "\(field) must be stripped")
        }
        #expect(template.annotations == ["team": "a"])
        #expect(template.labels == ["app": "db"])
        #expect(template.fields["finalizers"] != nil)
        #expect(sealed.template.type == "Opaque")
        #expect(sealed.template.immutable == true)
        #expect(sealed.encryptedData.map(\.key) == ["both", "password", "port"])
        let output = String(decoding: JSONWriter.write(sealed.node()), as: UTF8.self)
        #expect(!output.contains("creationTimestamp"))
        #expect(!output.contains("leak"))
    }

    @Test("stringData wins over data and values round-trip") func roundTrip() throws {
        let sealed = try Self.sealer.seal(try secret(Self.input))
        let secret = try Self.unsealer.unseal(sealed)
        #expect(secret["both"] == SecretBytes(utf8: "from-stringData"))
        #expect(secret["password"] == SecretBytes(utf8: "hunter2"))
        #expect(secret["port"] == SecretBytes(utf8: "0123"))
        #expect(secret.metadata.name == "db")
        #expect(secret.immutable == true)
    }

    @Test("scope annotations go on top-level and template metadata", arguments: SealingScope.allCases)
    func scopes(_ scope: SealingScope) throws {
        let sealed = try Self.sealer.seal(try secret(Self.input), scope: scope)
        #expect(sealed.scope == scope)
        #expect(SealingScope(annotations: sealed.template.metadata.annotations) == scope)
        #expect(try Self.unsealer.unseal(sealed)["password"] == SecretBytes(utf8: "hunter2"))
    }

    @Test("the input's own scope annotation is honoured without --scope") func annotatedScope() throws {
        let input = Self.input.replacingOccurrences(of: "    team: a", with: "    team: a\n    sealedsecrets.bitnami.com/namespace-wide: \"true\"")
        let sealed = try Self.sealer.seal(try secret(input))
        #expect(sealed.scope == .namespaceWide)
    }

    @Test("editing the template cannot widen the scope") func templateCannotWiden() throws {
        var sealed = try Self.sealer.seal(try secret(Self.input))
        sealed.template.metadata.annotations = SealingScope.clusterWide.applied(to: [:])
        sealed.metadata.name = "other"
        #expect(throws: ManifestError.self) { try Self.unsealer.unseal(sealed) }
    }

    @Test("merging keeps untouched ciphertexts exactly") func merge() throws {
        let original = try Self.sealer.seal(try secret(Self.input))
        let update = try secret("apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod, labels: {tier: data}, annotations: {sealedsecrets.bitnami.com/cluster-wide: \"true\"}}\nstringData: {password: new, extra: e}\n")
        let merged = try Self.sealer.merge(update, into: original)
        #expect(merged["both"] == original["both"])
        #expect(merged["port"] == original["port"])
        #expect(merged["password"] != original["password"])
        #expect(merged.encryptedData.map(\.key) == ["both", "password", "port", "extra"])
        #expect(merged.template.metadata.labels == ["app": "db", "tier": "data"])
        // A scope annotation in the input cannot change the existing object's scope.
        #expect(merged.scope == .strict)
        #expect(SealingScope(annotations: merged.template.metadata.annotations) == .strict)
        let secret = try Self.unsealer.unseal(merged)
        #expect(secret["password"] == SecretBytes(utf8: "new"))
        #expect(secret["extra"] == SecretBytes(utf8: "e"))
    }

    @Test("bad Secrets are refused with the item named") func badInput() throws {
        let badBase64 = try #require(throws: ManifestError.self) {
            try secret("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {token: 'not base64!'}\n")
        }
        #expect(badBase64.item == "token")
        #expect(throws: ManifestError.self) { try secret("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n") }
        #expect(throws: ManifestError.self) { try secret("- a\n- b\n") }
        #expect(throws: ManifestError.self) { try secret("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {'bad key': YQ==}\n") }
        let unnamed = try secret("apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\ndata: {a: YQ==}\n")
        #expect(throws: ManifestError.self) { try Self.sealer.seal(unnamed) }
        let empty = try secret("apiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: y}\n")
        #expect(throws: ManifestError.self) { try Self.sealer.seal(empty) }
        #expect(try Self.sealer.seal(empty, allowEmptyData: true).encryptedData.isEmpty)
        let noNamespace = try secret("apiVersion: v1\nkind: Secret\nmetadata: {name: x}\ndata: {a: YQ==}\n")
        #expect(throws: ManifestError.self) { try Self.sealer.seal(noNamespace) }
        #expect(try Self.sealer.seal(noNamespace, scope: .clusterWide).scope == .clusterWide)
    }

    @Test("a Secret the API server would refuse (values over 1 MiB in all) is refused in its words") func oversize() throws {
        var secret = Secret(metadata: ObjectMetadata(name: "big", namespace: "prod"))
        secret.items = [.init(key: "a", value: SecretBytes(Array(repeating: 0x61, count: 1 << 19))),
                        .init(key: "b", value: SecretBytes(Array(repeating: 0x62, count: 1 << 19)))]
        // Exactly 1 MiB is allowed, as by the API server.
        #expect(try Self.sealer.seal(secret).encryptedData.count == 2)
        secret.items.append(.init(key: "c", value: SecretBytes(utf8: "x")))
        let error = try #require(throws: ManifestError.self) { try Self.sealer.seal(secret) }
        #expect(error.message == #"Secret "big" is invalid: data: Too long: may not be more than 1048576 bytes (its values total 1048577 bytes)"#)
    }

    @Test("raw values seal for the requested scope") func raw() throws {
        let ciphertext = try Self.sealer.sealRaw(SecretBytes(utf8: "v"), scope: .namespaceWide, namespace: "ns", name: nil)
        let opened = try HybridCipher.open(try Base64.decode(ciphertext), with: [Fixtures.privateKey], label: Array("ns".utf8))
        #expect(opened == SecretBytes(utf8: "v"))
        #expect(throws: ManifestError.self) { try Self.sealer.sealRaw(SecretBytes(utf8: "v"), scope: .strict, namespace: "ns", name: nil) }
    }

    @Test("key Secrets and Lists of them load") func keySecrets() throws {
        let secret = KeySecrets.secret(for: Fixtures.privateKey, certificate: Fixtures.certificate, namespace: "kube-system")
        let yaml = try YAMLWriter.write(secret.node())
        #expect(try KeySecrets.privateKeys(from: yaml).map(\.publicKey) == [Fixtures.certificate.publicKey])
        let list = Node.mapping(Mapping(["apiVersion": .string("v1"), "kind": .string("List"), "items": .sequence([secret.node(), secret.node()])]))
        #expect(try KeySecrets.privateKeys(from: JSONWriter.write(list)).count == 2)
        #expect(try KeySecrets.privateKeys(from: Fixtures.bytes("key.pem")).count == 1)
        #expect(throws: ManifestError.self) { try KeySecrets.privateKeys(from: Fixtures.bytes("cert.pem")) }
        #expect(throws: ManifestError.self) { try KeySecrets.privateKeys(from: Array("kind: Secret\napiVersion: v1\nmetadata: {name: x}\n".utf8)) }
    }
}

@Suite("Object name rules")
struct ObjectNameRulesTests {
    static func secret(name: String, namespace: String?) -> Secret {
        Secret(metadata: ObjectMetadata(name: name, namespace: namespace), items: [.init(key: "a", value: SecretBytes(Array("b".utf8)))])
    }

    static func sealError(name: String, namespace: String? = "ns") throws -> String? {
        let sealer = SealerTests.sealer
        do { _ = try sealer.seal(secret(name: name, namespace: namespace)); return nil } catch { return error.message }
    }

    @Test("valid names and namespaces seal", arguments: ["a", "db-password", "app.example.com", "0", String(repeating: "a", count: 253)])
    func valid(_ name: String) throws {
        #expect(try Self.sealError(name: name) == nil)
    }

    @Test("a bad name is refused in the API server's words")
    func badName() throws {
        #expect(try Self.sealError(name: "Bad_Name") == "Secret \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
            + ObjectNameRules.subdomainMessage)
        for name in ["-a", "a-", "a..b", ".a", "a.", "UPPER", "ünicode", "a b", ""] {
            #expect(try Self.sealError(name: name) != nil, "\(name)")
        }
        #expect(try Self.sealError(name: String(repeating: "a", count: 254))
            == "Secret \"\(String(repeating: "a", count: 254))\" is invalid: metadata.name: Invalid value: \"\(String(repeating: "a", count: 254))\": must be no more than 253 characters")
    }

    @Test("several problems are listed in brackets, as the API server lists them")
    func severalProblems() throws {
        let message = try #require(try Self.sealError(name: "Bad", namespace: "Bad.NS"))
        #expect(message == "Secret \"Bad\" is invalid: [metadata.name: Invalid value: \"Bad\": \(ObjectNameRules.subdomainMessage), "
            + "metadata.namespace: Invalid value: \"Bad.NS\": \(ObjectNameRules.labelMessage)]")
        let long = String(repeating: "n", count: 64)
        #expect(try Self.sealError(name: "ok", namespace: long)
            == "Secret \"ok\" is invalid: metadata.namespace: Invalid value: \"\(long)\": must be no more than 63 characters")
    }

    @Test("a name with control characters stays on one line, quoted as Go's %q quotes it")
    func quoting() throws {
        #expect(ObjectNameRules.goQuoted("a\"b\\c\nd\u{1}é") == "\"a\\\"b\\\\c\\nd\\x01é\"")
        let message = try #require(try Self.sealError(name: "x\ny"))
        #expect(!message.contains("\n"))
    }

    @Test("raw sealing checks the name and namespace it seals into the label")
    func raw() throws {
        let sealer = SealerTests.sealer
        #expect(throws: ManifestError.self) { try sealer.sealRaw(SecretBytes(Array("v".utf8)), scope: .strict, namespace: "ns", name: "Bad_Name") }
        #expect(throws: ManifestError.self) { try sealer.sealRaw(SecretBytes(Array("v".utf8)), scope: .namespaceWide, namespace: "Bad_NS", name: nil) }
        _ = try sealer.sealRaw(SecretBytes(Array("v".utf8)), scope: .strict, namespace: "ns", name: "good")
    }
}
