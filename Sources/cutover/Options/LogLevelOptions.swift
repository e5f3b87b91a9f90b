import ArgumentParser
import Logging

/// How much the toolkit logs to standard error: on every command, the servers included.
struct LogLevelOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log to standard error from this level (default: warning; info on the servers, for their access line).",
            valueName: "LEVEL"))
    // Optional so that a level the configuration file names is told apart from the default.
    var logLevel: Logger.Level?

    @Flag(
        name: [.customShort("v"), .long],
        help: "Log more: -v from info (phases, gates, files written), -vv from debug (batches, retries).")
    var verbose: Int

    /// `--log-level`, made more talkative by `-v`; `-v` never hides what `--log-level` asked for.
    func effectiveLevel(default level: Logger.Level = .warning) -> Logger.Level {
        let asked = logLevel ?? level
        switch verbose {
        case 0: return asked
        case 1: return min(asked, .info)
        default: return min(asked, .debug)
        }
    }

    func validate() throws {
        LogSetup.level = effectiveLevel()
    }
}
