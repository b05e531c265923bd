import Foundation
import SecretTemplate
import Testing

/// One case of the reference vectors, joined with the result real Go 1.25.5 + Sprig v3.3.0
/// produced for it.
struct ReferenceVector: Sendable, CustomTestStringConvertible {
    let id: String
    let name: String
    let template: String
    let values: [String: [UInt8]]
    /// Expected rendered bytes, or nil when the reference failed.
    let output: [UInt8]?
    /// "parse" or "exec" when the reference failed.
    let errorPhase: String?
    let errorText: String?

    var testDescription: String { id }
}

/// Loads `Fixtures/cases.json` and `Fixtures/expected.json`.
enum ReferenceVectors {
    private struct CaseEntry: Decodable {
        let id: String
        let name: String
        let template: String
        let values: [String: String]
    }

    private struct ExpectedEntry: Decodable {
        let id: String
        let output: String?
        let output_b64: String?
        let error: Bool?
        let error_phase: String?
        let error_text: String?
    }

    static func fixture(_ name: String) throws -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).json"])
        }
        return try Data(contentsOf: url)
    }

    static let all: [ReferenceVector] = {
        do {
            let cases = try JSONDecoder().decode([CaseEntry].self, from: fixture("cases"))
            let expected = try JSONDecoder().decode([ExpectedEntry].self, from: fixture("expected"))
            let byID = Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0) })
            return cases.map { entry in
                let result = byID[entry.id]
                var output: [UInt8]? = nil
                if let b64 = result?.output_b64, let data = Data(base64Encoded: b64) {
                    output = Array(data)
                } else if let text = result?.output {
                    output = Array(text.utf8)
                }
                return ReferenceVector(
                    id: entry.id, name: entry.name, template: entry.template,
                    values: entry.values.mapValues { Array($0.utf8) },
                    output: result?.error == true ? nil : output,
                    errorPhase: result?.error == true ? result?.error_phase : nil,
                    errorText: result?.error_text)
            }
        } catch {
            Issue.record("cannot load the reference vectors: \(error)")
            return []
        }
    }()
}

@Suite("Reference vectors (Go 1.25.5 text/template + Sprig v3.3.0)")
struct ReferenceVectorTests {
    @Test("all 253 vectors are present")
    func vectorCount() {
        #expect(ReferenceVectors.all.count == 253)
    }

    @Test("renders like the reference", arguments: ReferenceVectors.all)
    func vector(_ vector: ReferenceVector) {
        let renderer = TemplateRenderer.testing()
        do {
            let output = try renderer.render(name: vector.name, template: vector.template, values: vector.values)
            if let expected = vector.output {
                #expect(output == expected, "\(vector.id): got \(String(decoding: output, as: UTF8.self).debugDescription), want \(String(decoding: expected, as: UTF8.self).debugDescription)")
            } else {
                Issue.record("\(vector.id): rendered \(String(decoding: output, as: UTF8.self).debugDescription) but the reference failed with \(vector.errorText ?? "?")")
            }
        } catch {
            guard let phase = vector.errorPhase else {
                Issue.record("\(vector.id): failed with \(error) but the reference rendered \(String(decoding: vector.output ?? [], as: UTF8.self).debugDescription)")
                return
            }
            let expectedPhase: TemplateError.Phase = phase == "parse" ? .parse : .execute
            #expect(error.phase == expectedPhase, "\(vector.id): \(error) (reference: \(vector.errorText ?? ""))")
            #expect(error.entry == vector.name)
        }
    }

    /// The template of the public manifest `ext-04-template-data`.
    @Test("ext-04 manifest template")
    func manifestTemplate() throws {
        let output = try TemplateRenderer.testing().render(
            name: "config.yaml",
            template: "db:\n  user: {{ .username }}\n  password: {{ .password }}\n",
            values: ["username": Array("svc".utf8), "password": Array("xyz&<>".utf8)])
        #expect(output == Array("db:\n  user: svc\n  password: xyz&<>\n".utf8))
    }
}
