import Logging

/// The level a kind of command logs from when it is not told otherwise (`LogLevelOptions`).
protocol LogLevelDefault {
    static var level: Logger.Level { get }
    /// Why, when it is not the usual warning: said in `--log-level`'s help after the level.
    static var why: String { get }
}

/// The commands that do a job and end: warnings and errors only, so a script's standard error stays quiet.
enum CommandLogLevel: LogLevelDefault {
    static var level: Logger.Level { .warning }
    static var why: String { "" }
}

/// The two servers: from info, because their access line — one per request — is info.
enum ServerLogLevel: LogLevelDefault {
    static var level: Logger.Level { .info }
    static var why: String { ", for the access line of each request" }
}
