import ArgumentParser
import CutoverCore
import CutoverSupport
import LegacySync
import Logging

/// The phases of every command, at info: made on first use, after `--log-level` has set the level.
private let phaseLog = Logger(label: "cutover.phase")

/// How results are shown.
struct OutputOptions: ParsableArguments, LogLevelOptions {
    typealias Default = CommandLogLevel

    @Flag(name: .long, help: "Print the result, or the error, as one JSON envelope (README: JSON output).")
    var json = false

    @Flag(name: .long, help: "Show personal data (kennitala, names, e-mail, phone) unmasked.")
    var unmask = false

    @Flag(name: [.customShort("q"), .long], help: "No progress messages.")
    var quiet = false

    @Option(
        name: .customLong("progress"),
        help: ArgumentHelp(
            "Progress on standard error: tty (one line redrawn), plain (a line every 5 s) or none (default: tty on "
                + "a terminal, else plain).",
            valueName: "MODE"))
    var progressMode: ProgressMode?

    // Tests shorten the plain form's 5 s so a short run still shows several lines.
    @Option(name: .long, help: .hidden)
    var progressInterval: Double?

    @Option(name: .long, help: OutputOptions.logLevelHelp)
    var logLevel: Logger.Level?

    @Flag(name: [.customShort("v"), .long], help: OutputOptions.verboseHelp)
    var verbose: Int

    func validate() throws {
        applyLogLevel()
        if let progressInterval { try OptionRange.seconds(progressInterval, "--progress-interval", maximum: 3600) }
        ProgressDisplay.shared.configure(
            mode: quiet ? .none : progressMode ?? .automatic,
            interval: progressInterval ?? ProgressDisplay.defaultInterval)
    }

    var masker: Masker { Masker(unmasked: unmask) }

    /// A phase of the command begins (`copying queue table …`). Progress goes to standard error only:
    /// standard output stays the result, `--json` included.
    /// Phases are logged too (`-v`): a log keeps them when progress is off or redrawn away.
    func progress(_ message: String) {
        let phase = ProgressDisplay.shared.phase(message)
        phaseLog.info("\(phase)")
    }

    /// A counted update, usually a `ProgressMeter` line: redrawn on a terminal, a line every few seconds
    /// off one.
    func progressUpdate(_ line: String) { ProgressDisplay.shared.update(line) }

    /// Numbers the phases that follow: `snapshot 2/5: …`.
    func progressPhases(_ label: String, total: Int?) { ProgressDisplay.shared.phases(label, total: total) }

    /// The running phase is over and nothing follows yet (a `--follow` loop waits): its heartbeat stops.
    func progressEnd() { ProgressDisplay.shared.endPhase() }
}
