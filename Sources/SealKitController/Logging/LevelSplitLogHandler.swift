public import Logging

/// Bitnami's `--log-info-stdout`: info and below go to one handler (stdout), warnings and
/// above to another (stderr), so log collectors that colour or alert on stderr see only
/// what deserves it.
public struct LevelSplitLogHandler: LogHandler {
    private var belowWarning: any LogHandler
    private var warningAndAbove: any LogHandler

    public init(belowWarning: any LogHandler, warningAndAbove: any LogHandler) {
        self.belowWarning = belowWarning
        self.warningAndAbove = warningAndAbove
    }

    public var logLevel: Logger.Level {
        get { belowWarning.logLevel }
        set {
            belowWarning.logLevel = newValue
            warningAndAbove.logLevel = newValue
        }
    }

    public var metadata: Logger.Metadata {
        get { belowWarning.metadata }
        set {
            belowWarning.metadata = newValue
            warningAndAbove.metadata = newValue
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { belowWarning[metadataKey: key] }
        set {
            belowWarning[metadataKey: key] = newValue
            warningAndAbove[metadataKey: key] = newValue
        }
    }

    public func log(event: LogEvent) {
        if event.level >= .warning { warningAndAbove.log(event: event) } else { belowWarning.log(event: event) }
    }
}
