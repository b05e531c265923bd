import SecretTemplate
import Testing

/// One row of the hand-written tables: a template, the secret values, and what Go 1.25
/// `text/template` with Sprig v3.3.0 produces for them.
struct RenderCase: Sendable, CustomTestStringConvertible {
    enum Expectation: Sendable {
        /// Exact rendered bytes.
        case output([UInt8])
        /// Rendering fails in this phase.
        case failure(TemplateError.Phase)
    }

    let template: String
    let values: [String: [UInt8]]
    let expectation: Expectation
    /// The rule this row pins, when it is not obvious.
    let note: String
    let sourceLine: Int

    var testDescription: String {
        note.isEmpty ? template : "\(template)  — \(note)"
    }

    /// The values most rows render against; `password` contains every HTML/shell special
    /// character so escaping functions are exercised.
    static let standardValues: [String: [UInt8]] = [
        "username": Array("admin".utf8),
        "password": Array("s3cr3t<&>\"'pa$$".utf8),
        "port": Array("5432".utf8),
        "empty": [],
        "zero": Array("0".utf8),
        "false": Array("false".utf8),
        "multi": Array("line one\nline two".utf8),
        "csv": Array("a,b,c".utf8),
        "num": Array("42".utf8),
        "unicode": Array("Grüße 世界".utf8),
        "api.key": Array("AKIA-1".utf8),
        "json": Array(#"{"user":"bob","n":1000000,"tags":["x","y"],"ok":true,"nested":{"f":1.5}}"#.utf8),
        "b64": Array("c2VjcmV0".utf8),
    ]

    /// Expects `output` (UTF-8 text).
    static func renders(_ template: String, _ output: String, values: [String: [UInt8]] = standardValues,
                        _ note: String = "", line: Int = #line) -> RenderCase {
        RenderCase(template: template, values: values, expectation: .output(Array(output.utf8)), note: note, sourceLine: line)
    }

    /// Expects raw output bytes.
    static func rendersBytes(_ template: String, _ output: [UInt8], values: [String: [UInt8]] = standardValues,
                             _ note: String = "", line: Int = #line) -> RenderCase {
        RenderCase(template: template, values: values, expectation: .output(output), note: note, sourceLine: line)
    }

    /// Expects failure in `phase`.
    static func fails(_ template: String, _ phase: TemplateError.Phase, values: [String: [UInt8]] = standardValues,
                      _ note: String = "", line: Int = #line) -> RenderCase {
        RenderCase(template: template, values: values, expectation: .failure(phase), note: note, sourceLine: line)
    }

    /// Renders and compares, reporting mismatches at the row's source line.
    func check(limits: TemplateLimits = .default) {
        let location = SourceLocation(fileID: "SecretTemplateTests/RenderCase.swift", filePath: #filePath, line: sourceLine, column: 1)
        let renderer = TemplateRenderer.testing(limits: limits)
        do {
            let output = try renderer.render(name: "case", template: template, values: values)
            switch expectation {
            case .output(let expected):
                #expect(output == expected,
                        "got \(String(decoding: output, as: UTF8.self).debugDescription), want \(String(decoding: expected, as: UTF8.self).debugDescription)",
                        sourceLocation: location)
            case .failure(let phase):
                Issue.record("rendered \(String(decoding: output, as: UTF8.self).debugDescription), want a \(phase) error", sourceLocation: location)
            }
        } catch {
            switch expectation {
            case .output(let expected):
                Issue.record("failed with \(error), want \(String(decoding: expected, as: UTF8.self).debugDescription)", sourceLocation: location)
            case .failure(let phase):
                #expect(error.phase == phase, "\(error)", sourceLocation: location)
                #expect(error.entry == "case", sourceLocation: location)
            }
        }
    }
}
