import ArgumentParser
import CutoverCore

/// The cutover's ledger: where each step is recorded and checked against its prerequisites.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The cutover's ledger (SQLite): the step is refused when a prerequisite is missing, failed or stale, and recorded.",
        valueName: "FILE"))
    var ledger: String?

    @Option(name: .long, help: "How old a prerequisite step may be, in hours.")
    var maxStepAgeHours = 24

    func begin(_ step: Ledger.Step, force: Bool, gated: Bool = true) throws -> LedgerRun? {
        try LedgerRun.begin(ledger: ledger, step: step, force: force, maxAgeHours: maxStepAgeHours, gated: gated)
    }
}

extension LedgerOptions: ConfigurationFillable {
    mutating func fill(from configuration: ConfigurationFile) {
        ledger = ledger ?? configuration.ledger
    }
}

/// `--force` for commands that have no other use for it.
struct ForceOption: ParsableArguments {
    @Flag(name: .long, help: "With --ledger: run even though a prerequisite step is missing, failed or stale (recorded).")
    var force = false
}
