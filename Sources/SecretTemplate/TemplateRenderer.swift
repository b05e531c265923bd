/// Renders Go text/template + Sprig templates the way Bitnami Sealed Secrets does.
///
/// The controller renders each `spec.template.data` entry with
/// `template.New(name).Funcs(sprig.GenericFuncMap() minus env, expandenv, getHostByName)
/// .Parse(text)` and executes it over a `map[string]string` of the decrypted values. This
/// type reproduces that pipeline (Go 1.25 `text/template`, Sprig v3.3.0) byte for byte, with
/// two additions the reference lacks: every render is bounded in output size, work and
/// recursion depth, and error messages never contain secret data.
public struct TemplateRenderer: Sendable {
    /// The most one render may cost; a shared budget can only lower it.
    public let limits: TemplateLimits
    let digests: TemplateDigests

    /// - Parameter digests: the message digests behind `sha1sum`, `sha256sum` and `sha512sum`.
    ///   This module implements no cryptographic hash itself; SealKit passes OpenSSL's.
    public init(limits: TemplateLimits = .default, digests: TemplateDigests) {
        self.limits = limits
        self.digests = digests
    }

    /// - Parameters:
    ///   - name: the entry (data key) name, used in errors like Go's `template: NAME:LINE:COL: ...`
    ///   - template: the template text
    ///   - values: the decrypted items (bytes; Go strings are byte strings, values may be non-UTF-8)
    /// - Returns: the rendered bytes
    public func render(name: String, template: String, values: [String: [UInt8]]) throws(TemplateError) -> [UInt8] {
        try render(name: name, template: template, values: values, limits: limits).output
    }

    /// Renders one of several entries that share a budget: `limits` is what is left of it, and
    /// the steps this entry took are returned so the caller can charge them.
    public func render(name: String, template: String, values: [String: [UInt8]], limits: TemplateLimits)
        throws(TemplateError) -> (output: [UInt8], steps: Int)
    {
        let text = Array(template.utf8)
        let parsed: ParsedTemplate
        do {
            parsed = try Parser.parse(name: name, text: text, functionExists: FunctionTable.exists)
        } catch {
            throw locatedParseError(error, name: name, text: text, values: values)
        }

        var entries: [[UInt8]: Value] = [:]
        entries.reserveCapacity(values.count)
        for (key, value) in values {
            entries[Array(key.utf8)] = .string(value)
        }
        let data = Value.map(GoMap(entries: entries, valueType: .string))

        let context = CallContext(limits: limits, templateLiterals: parsed.stringLiterals, digests: digests)
        let executor = Executor(parsed: parsed, text: text, entry: Array(name.utf8), context: context)
        do {
            let output = try executor.run(data: data)
            return (output, context.steps)
        } catch {
            throw locatedExecutionError(error, name: name, executor: executor, values: values)
        }
    }

    private func locatedParseError(_ failure: TemplateFailure, name: String, text: [UInt8], values: [String: [UInt8]]) -> TemplateError {
        switch failure {
        case .parse(let message, let line, let offset):
            return TemplateError(phase: .parse, entry: name, line: line, column: column(of: offset, in: text),
                                 message: Redaction.scrub(message, values: values))
        case .limit(let message, let line, let offset):
            return TemplateError(phase: .limit, entry: name, line: line ?? 1, column: offset.map { column(of: $0, in: text) },
                                 message: Redaction.scrub(message, values: values))
        case .execution(let message), .function(let message):
            return TemplateError(phase: .parse, entry: name, line: 1, column: nil, message: Redaction.scrub(message, values: values))
        }
    }

    private func locatedExecutionError(_ failure: TemplateFailure, name: String, executor: Executor, values: [String: [UInt8]]) -> TemplateError {
        let location = executor.location()
        let prefix: String
        if let location {
            prefix = "executing \(displayString(GoStrconv.quote(Array(executor.executingTemplate.utf8)))) at <\(location.context)>: "
        } else {
            prefix = ""
        }
        let phase: TemplateError.Phase
        let detail: String
        switch failure {
        case .execution(let message), .function(let message):
            phase = .execute
            detail = prefix + message
        case .limit(let message, _, _):
            phase = .limit
            detail = message
        case .parse(let message, _, _):
            phase = .parse
            detail = message
        }
        return TemplateError(phase: phase, entry: name, line: location?.line ?? 1, column: location?.column,
                             message: Redaction.scrub(detail, values: values))
    }

    /// Go's error column: the byte offset from the start of the line.
    private func column(of offset: Int, in text: [UInt8]) -> Int {
        let end = min(offset, text.count)
        var lineStart = 0
        for i in 0..<end where text[i] == 0x0A { lineStart = i + 1 }
        return end - lineStart
    }
}

/// Resource bounds for one render.
public struct TemplateLimits: Sendable, Equatable {
    /// Largest rendered output, in bytes.
    public var maxOutputBytes: Int
    /// Largest amount of work: one step per node walked, command evaluated and function
    /// called, plus one per kilobyte of data a function builds.
    public var maxSteps: Int

    /// 1 MiB of output (the size limit of a Kubernetes Secret) and one million steps.
    public static let `default` = TemplateLimits(maxOutputBytes: 1 << 20, maxSteps: 1_000_000)

    public init(maxOutputBytes: Int, maxSteps: Int) {
        self.maxOutputBytes = maxOutputBytes
        self.maxSteps = maxSteps
    }

    /// Largest intermediate string, list or map: four times the larger of the output limit
    /// and 1 MiB, so that any real secret can be transformed (base64 grows data by a third)
    /// while `repeat`, `until` and friends cannot allocate without bound.
    var maxValueSize: Int {
        let base = max(maxOutputBytes, 1 << 20)
        let (product, overflow) = base.multipliedReportingOverflow(by: 4)
        return overflow ? Int.max : product
    }
}

/// Why and where rendering failed.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Phase: Sendable {
        /// The template text is malformed or calls an undefined function.
        case parse
        /// Execution failed (wrong argument type, failing function, `fail`, ...).
        case execute
        /// A resource bound of `TemplateLimits` (or nesting/recursion depth) was exceeded.
        case limit
    }

    public var phase: Phase
    /// The data key whose template failed.
    public var entry: String
    /// 1-based line of the error.
    public var line: Int
    /// 0-based byte column within the line, as Go reports it; nil when unknown.
    public var column: Int?
    /// Go's message, without the `template: NAME:LINE:COL:` prefix; never contains secret data.
    public var message: String

    /// One line like `template "config.yaml" 3:14: function "nosuchfunc" not defined`.
    public var description: String {
        let entryText = displayString(GoStrconv.quote(Array(entry.utf8)))
        let position = column.map { "\(line):\($0)" } ?? "\(line)"
        return "template \(entryText) \(position): \(message)"
    }
}

/// Message digests for the Sprig functions that need them, supplied by the caller so the
/// template engine carries no cryptographic code.
public struct TemplateDigests: Sendable {
    public var sha1: @Sendable ([UInt8]) -> [UInt8]
    public var sha256: @Sendable ([UInt8]) -> [UInt8]
    public var sha512: @Sendable ([UInt8]) -> [UInt8]

    public init(sha1: @escaping @Sendable ([UInt8]) -> [UInt8], sha256: @escaping @Sendable ([UInt8]) -> [UInt8],
                sha512: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        self.sha1 = sha1
        self.sha256 = sha256
        self.sha512 = sha512
    }
}
