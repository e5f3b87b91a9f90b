import ArgumentParser
import Logging

/// How much the toolkit logs to standard error: on every command, the servers included. `Default` is the
/// level used when neither `--log-level` nor the configuration file names one — the one place a kind of
/// command keeps it, read by `validate()` and by the configuration file's fill alike.
struct LogLevelOptions<Default: LogLevelDefault>: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log to standard error from this level (default: \(Default.level)\(Default.why)).", valueName: "LEVEL"))
    // Optional so that a level the configuration file names is told apart from the default.
    var logLevel: Logger.Level?

    @Flag(
        name: [.customShort("v"), .long],
        help: "Log more: -v from info (phases, gates, files written), -vv from debug (batches, retries).")
    var verbose: Int

    /// `--log-level` (else `Default`), made more talkative by `-v`; `-v` never hides what `--log-level` asked for.
    var effectiveLevel: Logger.Level {
        let asked = logLevel ?? Default.level
        switch verbose {
        case 0: return asked
        case 1: return min(asked, .info)
        default: return min(asked, .debug)
        }
    }

    func validate() throws {
        LogSetup.level = effectiveLevel
    }

    /// The file's `log-level` when the command line named none.
    mutating func fill(from configuration: ConfigurationFile) {
        guard logLevel == nil, let level = configuration.logLevel else { return }
        logLevel = level
        // validate() set the level before the file was read; no logger exists yet to have used it.
        LogSetup.level = effectiveLevel
    }
}
