import ArgumentParser
import Logging

/// What the two servers (`firestore serve`, `shadow serve`) print and log: `--json` for the envelope they
/// print once they listen, and their log level, info by default (`ServerLogLevel`). Not `OutputOptions`:
/// a server shows no personal data to unmask and no progress to choose or quieten, so it offers neither.
struct ServerOutputOptions: ParsableArguments, ConfigurationFillable, LogLevelOptions {
    typealias Default = ServerLogLevel

    @Flag(
        name: .long,
        help: "Print the listening address, or the error, as one JSON envelope (README: JSON output).")
    var json = false

    @Option(name: .long, help: ServerOutputOptions.logLevelHelp)
    var logLevel: Logger.Level?

    @Flag(name: [.customShort("v"), .long], help: ServerOutputOptions.verboseHelp)
    var verbose: Int

    func validate() throws {
        applyLogLevel()
    }

    /// `log-level` and `json` from the file. Its `unmask` and `quiet` are for the other commands (the file
    /// is shared): nothing here to apply them to, and no error either.
    mutating func fill(from configuration: ConfigurationFile) {
        fillLogLevel(from: configuration)
        if !json, configuration.flag("json") {
            json = true
            JSONInvocation.fromConfigurationFile = true
        }
    }
}
