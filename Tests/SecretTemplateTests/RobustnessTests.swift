import SecretTemplate
import Testing

/// Templates are written by whoever can create a SealedSecret, so the renderer must survive
/// any input: every render ends in output or a `TemplateError` (a trap would take the whole
/// controller down), and no error may reveal a secret. These tests feed it deterministic
/// pseudo-random mutations of the reference templates and random calls of every function.
@Suite("Robustness")
struct RobustnessTests {
    /// A fixed-seed SplitMix64 generator, so every run checks the same inputs.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let secret = "Zq7-unlikely-secret-Wx9"
    static let values: [String: [UInt8]] = [
        "username": Array("admin".utf8),
        "password": Array(secret.utf8),
        "csv": Array("a,b,c".utf8),
        "json": Array(#"{"a":[1,{"b":"Zq7-unlikely-secret-Wx9"}]}"#.utf8),
    ]
    static let limits = TemplateLimits(maxOutputBytes: 1 << 16, maxSteps: 100_000)

    /// Renders `template`; failures must be well-formed and free of the secret.
    private func renderSafely(_ template: String) {
        do {
            _ = try TemplateRenderer.testing(limits: Self.limits).render(name: "fuzz", template: template, values: Self.values)
        } catch {
            #expect(!error.description.contains(Self.secret), "\(template.debugDescription) → \(error)")
            #expect(error.line >= 1)
        }
    }

    @Test("mutated reference templates never trap or leak")
    func mutatedTemplates() {
        let templates = ReferenceVectors.all.map { Array($0.template.utf8) }
        let fragments: [[UInt8]] = [
            "{{", "}}", "{{- ", " -}}", "(", ")", "|", "$", "$x := ", "\"", "'", "`", ".", ".password", "end", "else",
            "range ", "if ", "with ", "define \"t\"", "template \"t\" .", "0x", "1e9", "-", "\\", "=", "/*", "*/",
            ",", "nil", "\n", "\u{FF}", "index . ", "printf \"%s\" ", "fail ",
        ].map { Array($0.utf8) }
        var random = SplitMix64(state: 0x5EA1_5EC2_E7)
        for _ in 0..<2_500 {
            var text = templates[Int.random(in: 0..<templates.count, using: &random)]
            for _ in 0...Int.random(in: 0..<4, using: &random) {
                let position = Int.random(in: 0...text.count, using: &random)
                let length = Int.random(in: 0...min(10, text.count - position), using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: text.removeSubrange(position..<(position + length))
                case 1: text.insert(contentsOf: fragments[Int.random(in: 0..<fragments.count, using: &random)], at: position)
                case 2: text.insert(contentsOf: text[position..<(position + length)], at: position)
                default: text.insert(UInt8.random(in: 0...255, using: &random), at: position)
                }
            }
            renderSafely(String(decoding: text, as: UTF8.self))
        }
    }

    @Test("every function survives arguments of every type and extreme integers")
    func randomCalls() {
        let functions = RenderCase.allFunctionNames.filter { $0 != "bcrypt" && $0 != "htpasswd" }  // slow by design
        let arguments = [
            "nil", "0", "1", "-1", "1.5", "9223372036854775807", "-9223372036854775808", "4611686018427387904",
            "3000000000", "1i", "'x'", "true", #""""#, #""s""#, #""a,b""#, #""[1,{\"k\":2}]""#, #""http://u@h/p?q#f""#,
            ".password", ".json", ".nope", ".", "$", "(list)", #"(list 1 "a" nil)"#, "(dict)", #"(dict "a" (list 1))"#,
            #"(split "," .csv)"#, "(until 3)", #"(float64 "NaN")"#, #"(atoi "5")"#, "(add 1 1)", #"(index "ab" 0)"#,
            "(fromJson .json)",
        ]
        var random = SplitMix64(state: 0xF0_0D)
        for name in functions {
            for _ in 0..<12 {
                let count = Int.random(in: 0...3, using: &random)
                let call = ([name] + (0..<count).map { _ in arguments.randomElement(using: &random)! }).joined(separator: " ")
                if Bool.random(using: &random) {
                    renderSafely("{{ \(call) }}")
                } else {
                    renderSafely("{{ \(arguments.randomElement(using: &random)!) | \(call) }}")
                }
            }
        }
    }
}
