import ArgumentParser
import CutoverCore
import CutoverSupport
import LegacySync
import Logging

/// How results are shown.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result, or the error, as one JSON envelope (README: JSON output).")
    var json = false

    @Flag(name: .long, help: "Show personal data (kennitala, names, e-mail, phone) unmasked.")
    var unmask = false

    @Flag(name: .long, help: "No progress messages.")
    var quiet = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Log to standard error from this level: trace, debug, info, notice, warning, error, critical.",
            valueName: "LEVEL"))
    var logLevel = Logger.Level.warning

    func validate() throws {
        LogSetup.level = logLevel
    }

    var masker: Masker { Masker(unmasked: unmask) }

    /// Progress goes to standard error, and only to a terminal: pipes and logs stay clean.
    func progress(_ message: String) {
        guard !quiet, !json, Terminal.errorIsTerminal else { return }
        Terminal.error("… \(message)\n")
    }
}
