import CutoverCore
import CutoverLedger
import CutoverSupport
import SQLite
import TestSupport
import Testing

/// The ledger tells the truth (issue 18, point 7): a step that stopped is recorded as failed with its exit
/// code; a rollback is a state of its own that undoes retire's; a rehearsal is not a rollback.
struct LedgerStateTests {
    func record(
        _ step: Ledger.Step, _ verdict: Ledger.Verdict, in path: String, clock: TestClock, exitCode: Int32 = 0
    ) throws {
        let run = LedgerRun(ledger: try Ledger(path: path), step: step, started: clock.now)
        clock.advance(seconds: 60)
        try run.finish(exitCode: exitCode, verdict: verdict, outputs: .init(), now: clock.now)
    }

    @Test func aStepThatStoppedIsRecordedAsFailedWithItsExitCode() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let clock = TestClock()
            try record(.snapshot, .written, in: path, clock: clock)
            let run = try #require(
                try LedgerRun.begin(ledger: path, step: .parity, force: false, maxAgeHours: 24, now: clock.now))
            #expect(!run.isFinished)
            try run.finish(failedWith: ExitCode.input.code, now: clock.now)
            #expect(run.isFinished)
            let ledger = try Ledger(path: path)
            let parity = try #require(try ledger.latest(.parity))
            #expect(parity.verdict == .failed && parity.exitCode == 7 && !parity.passed)
            #expect(
                try ledger.problems(before: .drain, now: clock.now, maxAgeSeconds: 86_400)
                    == ["parity-replay did not pass (failed, exit 7)"])
        }
    }

    @Test func aRollbackUndoesRetirementAndIsNotTheRehearsal() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let clock = TestClock()
            for step in [Ledger.Step.snapshot, .parity, .drain, .verify, .archive] {
                try record(step, .pass, in: path, clock: clock)
            }
            try record(.restore, .rehearsed, in: path, clock: clock)
            try record(.retire, .retired, in: path, clock: clock)
            let ledger = try Ledger(path: path)
            #expect(try !ledger.retirementRolledBack())
            #expect(
                try ledger.checklist(now: clock.now, maxAgeHours: 24).first { $0.step == .retire }?.rolledBack == false)

            try record(.rollback, .restored, in: path, clock: clock)
            #expect(try ledger.retirementRolledBack())
            // The rehearsal retire relied on is still the newest restore; the rollback is its own line.
            #expect(try ledger.latest(.restore)?.verdict == .rehearsed)
            #expect(try ledger.latest(.rollback)?.verdict == .restored)
            let lines = try ledger.checklist(now: clock.now, maxAgeHours: 24)
            #expect(Array(lines.map(\.step).suffix(2)) == [.retire, .rollback])
            let text = LedgerChecklist.text(lines, now: clock.now, path: path)
            #expect(text.contains("[<] retire         retired (exit 0)"), "\(text)")
            #expect(text.contains("ROLLED BACK since (the queue table is live again)"))
            #expect(text.contains("[x] rollback       restored (exit 0)"), "\(text)")
            let json = LedgerChecklist.json(lines, now: clock.now)
            guard case .array(let steps)? = json.objectValue?["steps"] else {
                Issue.record("no steps in \(json)"); return
            }
            let states = steps.compactMap { $0.objectValue?["state"]?.stringValue }
            #expect(Array(states.suffix(3)) == ["passed", "rolled back", "passed"])

            // Retiring again makes retire's state retired again.
            try record(.retire, .retired, in: path, clock: clock)
            #expect(try !ledger.retirementRolledBack())
        }
    }

    /// Ledgers written before rollbacks had a step of their own stored both restores as "restore": the
    /// verdict tells them apart, so an old rollback is not read as the rehearsal retire asks for.
    @Test func anOlderLedgersRestoreIntoTheOriginalPlaceReadsAsARollback() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let clock = TestClock()
            try record(.restore, .rehearsed, in: path, clock: clock)
            try record(.retire, .retired, in: path, clock: clock)
            let database = try SQLiteDatabase(path: path, mode: .readWrite)
            _ = try database.query(
                """
                INSERT INTO steps (step, started_at, finished_at, exit_code, verdict, outputs, digests, forced, \
                forced_past)
                VALUES ('restore', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 0, 'restored', '{}', '{}', 0, '[]')
                """)
            let ledger = try Ledger(path: path)
            #expect(try ledger.latest(.restore)?.verdict == .rehearsed)
            #expect(try ledger.latest(.rollback)?.step == .rollback)
            #expect(try ledger.retirementRolledBack())
        }
    }
}
