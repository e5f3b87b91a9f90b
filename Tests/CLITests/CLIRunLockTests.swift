import CutoverSupport
import Foundation
import LegacySync
import TestSupport
import Testing

/// One run at a time on a queue (issue 19, point 6), through the binary: while another run holds the
/// queue — held here by the test process itself, with the toolkit's lock on its own connection or lock
/// file — drain, nightly run, retire and restore exit 9 naming the holder's process, host and start
/// time, and change nothing; once it lets go, each runs.
struct CLIRunLockTests {
    /// The refusal as the operator sees it: the documented code and one line naming the holder.
    static func expectRefused(
        _ outcome: CutoverBinary.Outcome, by lock: QueueRunLock, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            outcome.exitCode == ExitCode.busy.code, "\(what): \(outcome.stdout)\(outcome.stderr)",
            sourceLocation: sourceLocation)
        let named =
            "is busy: held by cutover \(lock.holder.command) (pid \(getpid()) on \(lock.holder.host), "
            + "started \(lock.holder.started.iso8601))"
        #expect(
            outcome.stderr.split(separator: "\n").contains {
                $0.contains(named) && $0.contains("this run changed nothing")
            },
            "\(what): \(outcome.stderr)", sourceLocation: sourceLocation)
    }

    @Test func onSQLiteEveryWritingRunWaitsForTheHolderAndRunsOnceItLetsGo() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            let store = "embedded:legacy-firestore.sqlite"
            try await DemoWorld(members: 150, queueRows: 600).copy(into: directory)
            #expect(
                try await run([
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", store, "--out", "before.sqlite",
                ]).exitCode == 0)
            #expect([0, 10].contains(try await run(["parity", "replay", "--snapshot", "before.sqlite"]).exitCode))
            let holding = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite")

            var lock = try QueueRunLock.acquire("drain", table: .defaultName, on: holding)
            let drain = ["drain", "--source", "sqlite:legacy.sqlite", "--target", store, "--include-failed"]
            Self.expectRefused(try await run(drain), by: lock, "drain")
            #expect(
                !FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain-journal.sqlite"),
                "the refused drain began nothing")
            Self.expectRefused(
                try await run(["demo", "nightly-run", "--source", "sqlite:legacy.sqlite", "--firestore", store]),
                by: lock,
                "nightly-run")
            let planned = try await run(drain + ["--dry-run"])
            #expect(planned.exitCode == 0, "a dry run writes nothing and takes no lock: \(planned.stderr)")
            lock.release()
            let drained = try await run(drain)
            #expect(drained.exitCode == 0, "\(drained.stderr)")

            #expect(
                try await run([
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", store, "--out", "after.sqlite",
                ])
                .exitCode == 0)
            #expect(
                try await run([
                    "archive", "create", "--snapshot", "after.sqlite", "--reports", "cutover-out/parity", "--out",
                    "a.tar.gz",
                ]).exitCode == 0)
            let rehearsed = try await run(["restore", "--archive", "a.tar.gz", "--into", "sqlite:rehearsal.sqlite"])
            #expect(rehearsed.exitCode == 0, "\(rehearsed.stderr)")

            lock = try QueueRunLock.acquire("restore", table: .defaultName, on: holding)
            let retire = ["retire", "--source", "sqlite:legacy.sqlite", "--archive", "a.tar.gz"]
            let gatesOnly = try await run(retire)
            #expect(
                gatesOnly.exitCode == 0,
                "without --confirm retire changes nothing and takes no lock: \(gatesOnly.stdout)")
            Self.expectRefused(try await run(retire + ["--confirm"]), by: lock, "retire")
            lock.release()
            let retired = try await run(retire + ["--confirm"])
            #expect(retired.exitCode == 0, "\(retired.stdout)\(retired.stderr)")
            #expect(retired.stdout.contains("retired: the table is now membership_membersyncqueue_retired_"))

            lock = try QueueRunLock.acquire("retire", table: .defaultName, on: holding)
            let rollback = ["restore", "--archive", "a.tar.gz", "--into", "sqlite:legacy.sqlite"]
            Self.expectRefused(try await run(rollback), by: lock, "restore")
            #expect(
                try !holding.tableExists(schema: "", table: "membership_membersyncqueue"),
                "the refused rollback restored nothing")
            lock.release()
            let rolledBack = try await run(rollback)
            #expect(rolledBack.exitCode == 0, "\(rolledBack.stderr)")
            #expect(try holding.tableExists(schema: "", table: "membership_membersyncqueue"))
        }
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
    func onPostgresTheHolderIsFoundThroughItsAdvisoryLock() async throws {
        try await withTemporaryDirectory { directory in
            let world = DemoWorld(members: 150, queueRows: 600)
            try await world.withCopiedDatabase(store: .at("firestore.sqlite"), in: directory) { url in
                func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                    try await CutoverBinary.run(arguments, directory: directory)
                }
                let store = "embedded:\(directory)/firestore.sqlite"
                #expect(
                    try await run(["snapshot", "--source", url, "--firestore", store, "--out", "s.sqlite"]).exitCode
                        == 0)
                let holding = try LegacyDatabaseOpener.open(url)
                let lock = try QueueRunLock.acquire("drain", table: .defaultName, on: holding)
                let drain = ["drain", "--source", url, "--target", store, "--include-failed"]
                let restore = ["restore", "--snapshot", "s.sqlite", "--into", url, "--replace"]
                for (what, arguments) in [
                    ("drain", drain), ("restore", restore),
                    ("retire", ["retire", "--source", url, "--archive", "a.tar.gz", "--confirm"]),
                    ("nightly-run", ["demo", "nightly-run", "--source", url, "--firestore", store]),
                ] {
                    let outcome = try await run(arguments)
                    Self.expectRefused(outcome, by: lock, what)
                    #expect(outcome.stderr.contains("through PostgreSQL backend "), "\(what): \(outcome.stderr)")
                }
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain-journal.sqlite"))
                lock.release()
                let drained = try await run(drain)
                #expect(drained.exitCode == 0, "\(drained.stderr)")
                let restored = try await run(restore)
                #expect(restored.exitCode == 0, "\(restored.stderr)")
            }
        }
    }
}
