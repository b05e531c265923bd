@testable import KubeTestServer
import Testing

/// Label and field selector grammar and matching.
@Suite struct SelectorTests {
    let labels = ["env": "prod", "tier": "web", "replicas": "3"]

    @Test(arguments: [
        ("", true), ("env=prod", true), ("env==prod", true), ("env!=prod", false), ("missing!=x", true),
        ("env in (prod, dev)", true), ("env notin (prod)", false), ("missing notin (x)", true),
        ("env", true), ("!env", false), ("!missing", true), ("env=prod,tier=db", false),
        ("env=prod, tier in (web)", true), ("replicas>2", true), ("replicas<3", false), ("env=", false),
        ("example.com/role=x", false),
    ])
    func labelSelectorMatching(_ selector: String, _ expected: Bool) throws {
        #expect(try LabelSelector.parse(selector).matches(labels) == expected)
    }

    @Test(arguments: ["env in prod", "env in (prod", "=x", "env==", "env notin", "a,,b", "replicas>x", "a b"])
    func invalidLabelSelectors(_ selector: String) {
        if selector == "env==" {
            // An empty value is allowed: `env==` selects objects whose env label is empty.
            #expect((try? LabelSelector.parse(selector)) != nil)
            return
        }
        #expect(throws: KubeAPIError.self) { try LabelSelector.parse(selector) }
    }

    @Test func fieldSelectorMatchingAndEscapes() throws {
        let secret: JSONValue = ["metadata": ["name": "a,b", "namespace": "ns"], "type": "Opaque"]
        let definition = ResourceDefinition.secrets
        #expect(try FieldSelector.parse(#"metadata.name=a\,b"#, for: definition).matches(secret))
        #expect(try FieldSelector.parse("metadata.namespace==ns,type!=kubernetes.io/tls", for: definition).matches(secret))
        #expect(try !FieldSelector.parse("type=kubernetes.io/tls", for: definition).matches(secret))
        #expect(try FieldSelector.parse("metadata.name=x", for: definition).requiredName == "x")
        #expect(throws: KubeAPIError.self) { try FieldSelector.parse("spec.replicas=1", for: definition) }
        #expect(throws: KubeAPIError.self) { try FieldSelector.parse("metadata.name", for: definition) }
    }
}
