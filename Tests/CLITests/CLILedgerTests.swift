import Foundation
import TestSupport
import Testing

/// The ledger: a step out of order is refused with the missing gate named; `--force` runs it and the
/// ledger shows it. The configuration file names the systems once; flags win.
struct CLILedgerTests {
    @Test func aStepOutOfOrderIsRefusedAndForcingItIsRecorded() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> CutoverBinary.Outcome
            {
                try await CutoverBinary.run(arguments, environment: environment, directory: directory)
            }
            try await DemoWorld(members: 200, queueRows: 600).copy(into: directory)
            try """
            source: sqlite:legacy.sqlite
            target: embedded:legacy-firestore.sqlite
            ledger: ledger.sqlite
            """.write(toFile: "\(directory)/cutover-config.yaml", atomically: true, encoding: .utf8)

            // The drain before a parity replay: refused, the missing gate named, nothing drained.
            let refused = try await run(["drain", "--config", "cutover-config.yaml"])
            #expect(refused.exitCode == 8)
            #expect(refused.stderr.contains("drain refused: parity-replay has not run"), "\(refused.stderr)")
            #expect(refused.stderr.contains("--force"))
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain-journal.sqlite"))

            // Forced: it runs, and the ledger says so.
            let forced = try await run(["drain", "--config", "cutover-config.yaml", "--force", "--include-failed"])
            #expect(forced.exitCode == 0, "\(forced.stderr)")
            let checklist = try await run(["status", "--ledger", "ledger.sqlite", "--json"])
            let json = try DecodedOutput.result(LedgerChecklistJSON.self, from: checklist.stdout)
            let drain = try #require(json.steps.first { $0.step == "drain" })
            #expect(drain.forced == true)
            #expect(drain.forcedPast == ["parity-replay has not run"])
            #expect(drain.sha256?.keys.contains("cutover-out/drain/drain.json") == true)
            let text = try await run(["status", "--ledger", "ledger.sqlite"])
            #expect(text.stdout.contains("FORCED past: parity-replay has not run"))

            // In order, nothing is forced; the configuration file names the source, a flag overrides it.
            let environment = CutoverBinary.cleanEnvironment(["CUTOVER_CONFIG": "cutover-config.yaml"])
            #expect(try await run(["snapshot", "--out", "s.sqlite"], environment: environment).exitCode == 0)
            let replay = try await run(["parity", "replay", "--snapshot", "s.sqlite"], environment: environment)
            #expect([0, 10].contains(replay.exitCode), "\(replay.stderr)")
            let overridden = try await run(["status", "--source", "sqlite:missing.sqlite"], environment: environment)
            #expect(overridden.exitCode != 0 && overridden.stderr.contains("missing.sqlite"))
            let badKey = try await run(["status", "--config", "nowhere.yaml"])
            #expect(badKey.exitCode == 7)
        }
    }

    /// A step that stops with an error is recorded as failed with the exit code the command ended with:
    /// before, it recorded nothing and the checklist kept showing the previous, passing run.
    @Test func aStepThatStopsWithAnErrorIsRecordedAsFailed() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            try await DemoWorld(members: 50, queueRows: 120).copy(into: directory)
            #expect(
                try await run([
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s.sqlite", "--ledger", "ledger.sqlite",
                ]).exitCode == 0)
            let stopped = try await run([
                "parity", "replay", "--snapshot", "missing.sqlite", "--ledger", "ledger.sqlite",
            ])
            #expect(stopped.exitCode != 0)
            let checklist = try DecodedOutput.result(
                LedgerChecklistJSON.self, from: try await run(["status", "--ledger", "ledger.sqlite", "--json"]).stdout)
            let parity = try #require(checklist.steps.first { $0.step == "parity-replay" })
            #expect(parity.state == "failed" && parity.verdict == "failed")
            #expect(parity.exitCode == Int(stopped.exitCode), "\(stopped.stderr)")
            #expect(checklist.steps.first { $0.step == "snapshot" }?.state == "passed")

            // The drain after it is refused, naming the failed run and its code.
            let refused = try await run([
                "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:legacy-firestore.sqlite",
                "--ledger", "ledger.sqlite",
            ])
            #expect(
                refused.stderr.contains("parity-replay did not pass (failed, exit \(stopped.exitCode))"),
                "\(refused.stderr)")
        }
    }
}
