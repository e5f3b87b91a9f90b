import ArgumentParser
import CutoverCore
import CutoverLedger
import CutoverSupport

/// The cutover's ledger: where each step is recorded and checked against its prerequisites.
struct LedgerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The cutover's ledger (SQLite): the step is refused when a prerequisite is missing, failed or stale, and "
                + "recorded.",
            valueName: "FILE"),
        completion: .file(extensions: ["sqlite"]))
    var ledger: String?

    // Optional, with the default in the help, so that the configuration file can set what the command line
    // leaves unset.
    @Option(
        name: .customLong("max-step-age-hours"), help: "How old a prerequisite step may be, in hours. (default: 24)")
    var maxStepAgeHoursOption: Int?

    /// `--max-step-age-hours`, else the configuration file's, else 24.
    var maxStepAgeHours: Int { maxStepAgeHoursOption ?? 24 }

    func validate() throws {
        try OptionRange.hours(maxStepAgeHours, "--max-step-age-hours")
    }

    /// Begins the step in the ledger, when one is named. With `created`, a ledger this run makes is
    /// checked first and removed again if the step is refused before anything was recorded.
    func begin(
        _ step: Ledger.Step, force: Bool, gated: Bool = true, created: CreatedByThisRun? = nil
    ) throws -> LedgerRun? {
        if let ledger, let created { try OutputPreflight.writableFile(ledger, for: "--ledger", created: created) }
        return try LedgerRun.begin(ledger: ledger, step: step, force: force, maxAgeHours: maxStepAgeHours, gated: gated)
    }
}

extension LedgerOptions: ConfigurationFillable {
    mutating func fill(from configuration: ConfigurationFile) {
        ledger = ledger ?? configuration.ledger
        maxStepAgeHoursOption = maxStepAgeHoursOption ?? configuration.maxStepAgeHours
    }
}

/// `--force` for commands that have no other use for it.
struct ForceOption: ParsableArguments {
    @Flag(
        name: .long, help: "With --ledger: run even though a prerequisite step is missing, failed or stale (recorded).")
    var force = false
}
