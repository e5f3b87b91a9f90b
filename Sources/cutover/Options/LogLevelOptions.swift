import ArgumentParser
import Logging

/// How much the toolkit logs to standard error: on every command, the servers included.
struct LogLevelOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log to standard error from this level: trace, debug, info, notice, warning, error, critical.",
            valueName: "LEVEL"))
    var logLevel = Logger.Level.warning

    @Flag(
        name: [.customShort("v"), .long],
        help: "Log more: -v from info (phases, gates, files written), -vv from debug (batches, retries).")
    var verbose: Int

    /// `--log-level`, made more talkative by `-v`; `-v` never hides what `--log-level` asked for.
    var effectiveLevel: Logger.Level {
        switch verbose {
        case 0: logLevel
        case 1: min(logLevel, .info)
        default: min(logLevel, .debug)
        }
    }

    func validate() throws {
        LogSetup.level = effectiveLevel
    }
}
