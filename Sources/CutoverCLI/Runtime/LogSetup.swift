import CutoverSupport
import Logging

/// swift-log for the command line: every logger writes to standard error at the level `--log-level`
/// chose (warning by default), so standard output stays the command's result.
enum LogSetup {
    /// Set while the arguments are validated, before any logger is made (they are made on first use).
    nonisolated(unsafe) static var level: Logger.Level = .warning

    static func bootstrap() {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return EscapingLogHandler(inner: handler)
        }
    }
}

/// A log handler that escapes control characters in messages and metadata before the stream handler
/// writes them: log lines quote servers' answers and row values, and standard error is a terminal.
struct EscapingLogHandler: LogHandler {
    var inner: StreamLogHandler

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(TerminalText.escaped(event.message.description))"
        event.metadata = event.metadata?.mapValues { .string(TerminalText.escaped($0.description)) }
        // A progress line redrawn on the terminal is taken away first, or the log line would run into it.
        ProgressDisplay.shared.clearLine()
        inner.log(event: event)
    }
}
