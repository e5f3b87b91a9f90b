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
            return handler
        }
    }
}
