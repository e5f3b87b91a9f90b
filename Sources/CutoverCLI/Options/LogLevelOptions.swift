import ArgumentParser
import Logging

/// How much the toolkit logs to standard error, on every command, the servers included: `--log-level` and
/// `-v`. `Default` is the level used when neither `--log-level` nor the configuration file names one — the one
/// place a kind of command keeps it, read by `validate()` and by the configuration file's fill alike.
///
/// The two options are declared by `OutputOptions` and `ServerOutputOptions` themselves, not as an option
/// group nested in theirs: in a debug build ArgumentParser checks every option group on each run, a nested
/// group once more for each of its parent's checks, and this one nested group was half the CPU of a debug
/// `cutover status` run (97 → 48 ms, `perf stat -r 10`). The test suite starts the debug binary over a
/// thousand times.
protocol LogLevelOptions {
    associatedtype Default: LogLevelDefault
    /// Optional so that a level the configuration file names is told apart from the default.
    var logLevel: Logger.Level? { get set }
    var verbose: Int { get }
}

extension LogLevelOptions {
    static var logLevelHelp: ArgumentHelp {
        ArgumentHelp(
            "Log to standard error from this level (default: \(Default.level)\(Default.why)).", valueName: "LEVEL")
    }

    static var verboseHelp: ArgumentHelp {
        "Log more: -v from info (phases, gates, files written), -vv from debug (batches, retries)."
    }

    /// `--log-level` (else `Default`), made more talkative by `-v`; `-v` never hides what `--log-level` asked for.
    var effectiveLevel: Logger.Level {
        let asked = logLevel ?? Default.level
        switch verbose {
        case 0: return asked
        case 1: return min(asked, .info)
        default: return min(asked, .debug)
        }
    }

    /// From `validate()`: the level is set before anything logs.
    func applyLogLevel() {
        LogSetup.level = effectiveLevel
    }

    /// The file's `log-level` when the command line named none.
    mutating func fillLogLevel(from configuration: ConfigurationFile) {
        guard logLevel == nil, let level = configuration.logLevel else { return }
        logLevel = level
        // validate() set the level before the file was read; no logger exists yet to have used it.
        LogSetup.level = effectiveLevel
    }
}
