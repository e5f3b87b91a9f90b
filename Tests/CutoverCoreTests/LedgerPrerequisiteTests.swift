import CutoverCore
import CutoverLedger
import CutoverSupport
import TestSupport
import Testing

/// The ledger's prerequisites, on a clock the test moves: a step is refused on a prerequisite never
/// run, failed or older than the limit; forcing runs it and is recorded; the checklist agrees.
struct LedgerPrerequisiteTests {
    static let hour: Int64 = 3_600

    /// Runs `step` through `LedgerRun` as a command does: begun now, finished `seconds` later.
    func run(
        _ step: Ledger.Step, in path: String, clock: TestClock, exitCode: Int32 = 0, seconds: Int64 = 60,
        force: Bool = false
    ) throws {
        let run = try #require(
            try LedgerRun.begin(ledger: path, step: step, force: force, maxAgeHours: 24, now: clock.now))
        clock.advance(seconds: seconds)
        try run.finish(exitCode: exitCode, verdict: exitCode == 0 ? .pass : .failed, outputs: .init(), now: clock.now)
    }

    @Test func eachStepWaitsForItsPrerequisitesInOrder() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let clock = TestClock()
            let ledger = try Ledger(path: path)
            #expect(try ledger.problems(before: .snapshot, now: clock.now, maxAgeSeconds: 24 * Self.hour).isEmpty)
            #expect(
                try ledger.problems(before: .retire, now: clock.now, maxAgeSeconds: 24 * Self.hour)
                    == [
                        "parity-replay has not run", "verify has not run", "archive has not run", "restore has not run",
                    ])

            let refused = #expect(throws: CutoverError.self) { try run(.drain, in: path, clock: clock) }
            #expect(refused?.kind == .outOfOrder)
            #expect(refused?.message == "drain refused: parity-replay has not run")
            #expect(try ledger.latest(.drain) == nil, "a refused step records nothing")

            for step in [Ledger.Step.snapshot, .parity, .drain, .verify, .archive, .restore] {
                try run(step, in: path, clock: clock)
            }
            #expect(try ledger.problems(before: .retire, now: clock.now, maxAgeSeconds: 24 * Self.hour).isEmpty)
            let drain = try #require(try ledger.latest(.drain))
            #expect(drain.finishedAt == drain.startedAt.adding(seconds: 60) && !drain.forced && drain.passed)
        }
    }

    /// Parity exits 10 when differences were accepted: that passes. Any other non-zero code does not.
    @Test func aFailedPrerequisiteRefusesAndParityTenCountsAsPassed() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let clock = TestClock()
            try run(.snapshot, in: path, clock: clock)
            try run(.parity, in: path, clock: clock, exitCode: 11)
            let ledger = try Ledger(path: path)
            #expect(
                try ledger.problems(before: .drain, now: clock.now, maxAgeSeconds: 24 * Self.hour)
                    == ["parity-replay did not pass (failed, exit 11)"])
            try run(.parity, in: path, clock: clock, exitCode: 10)
            #expect(try ledger.problems(before: .drain, now: clock.now, maxAgeSeconds: 24 * Self.hour).isEmpty)
        }
    }

    /// Age counts from when the prerequisite finished; the limit itself is still fresh, a second more is stale.
    @Test func aPrerequisiteGoesStaleOneSecondPastTheLimit() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let clock = TestClock()
            try run(.snapshot, in: path, clock: clock)
            let finished = clock.now
            let ledger = try Ledger(path: path)
            clock.set(finished.adding(seconds: 24 * Self.hour))
            #expect(try ledger.problems(before: .parity, now: clock.now, maxAgeSeconds: 24 * Self.hour).isEmpty)
            #expect(try ledger.checklist(now: clock.now, maxAgeHours: 24).first { $0.step == .snapshot }?.fresh == true)
            clock.advance(seconds: 1)
            #expect(
                try ledger.problems(before: .parity, now: clock.now, maxAgeSeconds: 24 * Self.hour)
                    == ["snapshot is stale (24 h old; limit 24 h)"])
            let lines = try ledger.checklist(now: clock.now, maxAgeHours: 24)
            #expect(lines.first { $0.step == .snapshot }?.fresh == false)
            let text = LedgerChecklist.text(lines, now: clock.now, path: path)
            #expect(text.contains("[~] snapshot       pass (exit 0), 24 h 0 min ago, STALE"), "\(text)")
            #expect(text.contains("[ ] parity-replay  not run"))
        }
    }

    /// --force runs past the problems and the ledger keeps them; a later step sees a forced run as passed.
    @Test func forcingRunsAnywayAndRecordsWhatWasForcedPast() throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/ledger.sqlite"
            let clock = TestClock()
            try run(.drain, in: path, clock: clock, force: true)
            let ledger = try Ledger(path: path)
            let drain = try #require(try ledger.latest(.drain))
            #expect(drain.forced && drain.forcedPast == ["parity-replay has not run"])
            #expect(try ledger.problems(before: .verify, now: clock.now, maxAgeSeconds: 24 * Self.hour).isEmpty)
            let json = LedgerChecklist.json(try ledger.checklist(now: clock.now, maxAgeHours: 24), now: clock.now)
            guard case .array(let steps)? = json["steps"] else {
                Issue.record("no steps in \(json)")
                return
            }
            let states = steps.compactMap { step in
                step["state"]?.stringValue.map { (step["step"]?.stringValue ?? "", $0) }
            }
            #expect(
                states.map(\.1) == [
                    "not run", "not run", "passed", "not run", "not run", "not run", "not run", "not run",
                ])
            #expect(steps[2]["forced_past"] == .array(["parity-replay has not run"]))
        }
    }
}
