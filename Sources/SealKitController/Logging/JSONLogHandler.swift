import Foundation
public import Logging

/// One JSON object per line (`--log-format json`), for log pipelines that parse structure.
/// Messages and metadata come from SealKit's own code, which never puts plaintext or key
/// material in them; this handler adds nothing but time, level and source.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let toStandardOutput: Bool

    public init(label: String, toStandardOutput: Bool = false) {
        self.label = label
        self.toStandardOutput = toStandardOutput
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = Mapping()
        fields["time"] = .string(Date().formatted(.iso8601))
        fields["level"] = .string(event.level.rawValue)
        fields["logger"] = .string(label)
        fields["msg"] = .string(event.message.description)
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            fields[key] = .string(merged[key]!.description)
        }
        var line = JSONWriter.write(.mapping(fields), pretty: false)
        line.append(UInt8(ascii: "\n"))
        (toStandardOutput ? FileHandle.standardOutput : FileHandle.standardError).write(Data(line))
    }
}

import SealKit
