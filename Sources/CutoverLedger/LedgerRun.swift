import CutoverSupport

/// One step's run against the ledger: checked before it starts (refused on a missing, failed or stale
/// prerequisite unless forced), recorded when it ends.
public final class LedgerRun {
    public let ledger: Ledger
    public let step: Ledger.Step
    let started: Timestamp
    let forcedPast: [String]
    /// Set once the run is recorded, so that an error after `finish` is not recorded a second time.
    public private(set) var isFinished = false

    /// Opens the ledger and checks the step's prerequisites; nil without a ledger. `gated: false` only
    /// records the run (retire, whose own gates decide; a rollback, which nothing may hold back).
    public static func begin(
        ledger path: String?, step: Ledger.Step, force: Bool, maxAgeHours: Int, gated: Bool = true,
        now: Timestamp = .now
    ) throws -> LedgerRun? {
        guard let path else { return nil }
        let ledger = try Ledger(path: path)
        let problems =
            gated ? try ledger.problems(before: step, now: now, maxAgeSeconds: Int64(maxAgeHours) * 3600) : []
        if !problems.isEmpty && force {
            Log.ledger.warning("\(step.rawValue) forced past: \(problems.joined(separator: "; "))")
        }
        if !problems.isEmpty && !force {
            throw CutoverError(
                .outOfOrder, "\(step.rawValue) refused: " + problems.joined(separator: "; "),
                nextStep: "run the missing step first (`cutover status --ledger \(path)` shows the checklist), "
                    + "or add --force to run anyway — the ledger records that you did")
        }
        return LedgerRun(ledger: ledger, step: step, started: now, forcedPast: problems)
    }

    /// A run recorded without a check: `rehearse` keeps its own order and records each step as the
    /// single command would.
    public init(ledger: Ledger, step: Ledger.Step, started: Timestamp, forcedPast: [String] = []) {
        self.ledger = ledger
        self.step = step
        self.started = started
        self.forcedPast = forcedPast
    }

    /// Records the run; `forcedPast` adds what the step itself was forced past (an artifact of another
    /// database) to the prerequisites it was forced past; `now` is when it ended (a test passes its own
    /// clock, as to `begin`).
    public func finish(
        exitCode: Int32, verdict: Ledger.Verdict, forcedPast extra: [String] = [], outputs: Ledger.Outputs,
        now: Timestamp = .now
    ) throws {
        let past = forcedPast + extra
        isFinished = true
        try ledger.record(
            Ledger.Entry(
                step: step, startedAt: started, finishedAt: now, exitCode: exitCode, verdict: verdict,
                outputs: outputs, digests: Ledger.digests(of: outputs), forced: !past.isEmpty,
                forcedPast: past))
    }

    /// Records a run that stopped with an error before it could conclude: verdict `failed`, and the exit
    /// code the command ends with — a step that stopped must not look as if it never ran.
    public func finish(failedWith exitCode: Int32, now: Timestamp = .now) throws {
        try finish(exitCode: exitCode, verdict: .failed, outputs: .init(), now: now)
    }
}

extension Ledger {
    /// The checklist `status --ledger` prints: each step, its newest run, whether it is fresh, and (for
    /// retire) whether a rollback undid it since.
    public func checklist(now: Timestamp, maxAgeHours: Int) throws -> [LedgerChecklist.Line] {
        let rolledBack = try retirementRolledBack()
        return try Step.allCases.map { step in
            let entry = try latest(step)
            let fresh =
                entry.map { (now.microseconds - $0.finishedAt.microseconds) / 1_000_000 <= Int64(maxAgeHours) * 3600 }
                ?? false
            return (step, entry, fresh, step == .retire && entry?.verdict == .retired && rolledBack)
        }
    }
}
