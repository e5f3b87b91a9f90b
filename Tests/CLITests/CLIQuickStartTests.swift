import Foundation
import SQLite
import TestSupport
import Testing

/// The README's main job on the embedded default: seed, status and snapshot on SQLite, and the whole
/// rehearsal.
struct CLIQuickStartTests {
    @Test func seedStatusSnapshotOnSQLite() async throws {
        try await withTemporaryDirectory { directory in
            let seed = try await CutoverBinary.run(
                ["demo", "seed", "--into", "sqlite:legacy.sqlite"], directory: directory)
            #expect(seed.exitCode == 0, "\(seed.stderr)")
            #expect(seed.stdout.contains("last successful nightly run completed 2025-11-24T03:30:07.412Z"))

            let status = try await CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--last-run", "2025-11-24T03:30:07.412Z", "--json"],
                directory: directory)
            #expect(status.exitCode == 0, "\(status.stderr)")
            let json = try DecodedOutput.result(StatusJSON.self, from: status.stdout)
            #expect(json.totalRows == 3_000)
            #expect(json.orphanDeletes.count == 3)
            // Masked by default: the orphan's kennitala shows only its birth date.
            #expect(status.stdout.contains("010309-****"))
            #expect(!status.stdout.contains("0103097930"))
            let unmasked = try await CutoverBinary.run(
                ["status", "--source", "sqlite:legacy.sqlite", "--unmask", "--json"], directory: directory)
            #expect(unmasked.stdout.contains("0103097930"))

            let snapshot = try await CutoverBinary.run(
                ["snapshot", "--source", "sqlite:legacy.sqlite"], directory: directory)
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            let files = filesIn("\(directory)/Snapshots")
            #expect(files.count == 1 && files[0].hasPrefix("snapshot-") && files[0].hasSuffix(".sqlite"))

            let fromSnapshot = try await CutoverBinary.run(
                ["status", "--source", "Snapshots/\(files[0])", "--last-run", "2025-11-24T03:30:07.412Z"],
                directory: directory)
            #expect(fromSnapshot.exitCode == 0, "\(fromSnapshot.stderr)")
            #expect(fromSnapshot.stdout.contains("Orphan deletes 3"))
            let asSQLite = try await CutoverBinary.run(
                ["status", "--source", "sqlite:Snapshots/\(files[0])"], directory: directory)
            #expect(asSQLite.exitCode == 0, "\(asSQLite.stderr)")
            #expect(asSQLite.stdout.contains("in snapshot Snapshots/"))
        }
    }

    /// The rehearsal's demo size: every step still has work (19 pending rows, 13 failed, 3 orphan deletes; the
    /// drain applies 25; parity accepts 15 differences) at 1.1 s of CPU a rehearsal, where 400 members and
    /// 2,000 rows took 2.7 s.
    static let rehearsalSize = ["--members", "120", "--queue-rows", "300"]

    /// `cutover rehearse`: the whole road on the embedded default, every artifact where it says.
    @Test func rehearseRunsTheWholeCutoverAndSaysGo() async throws {
        try await withTemporaryDirectory { directory in
            let outcome = try await CutoverBinary.run(
                ["rehearse"] + Self.rehearsalSize + ["--json"], directory: directory)
            #expect(outcome.exitCode == 0, "\(outcome.stdout)\(outcome.stderr)")
            let json = try DecodedOutput.result(RehearseJSON.self, from: outcome.stdout)
            #expect(json.go)
            let steps = json.steps.map(\.step)
            #expect(
                steps == [
                    "seed", "status", "snapshot", "parity replay", "drain", "verify", "archive", "restore rehearsal",
                    "retire",
                    "rollback", "verify after rollback",
                ])
            for artifact in [
                "status.json", "snapshot-before.sqlite", "parity/parity.json", "parity/parity.md", "parity/parity.html",
                "drain/drain.json", "drain-journal.sqlite", "verify/verify.json", "snapshot-after.sqlite",
                "archive.tar.gz",
                "archive.tar.gz.sha256", "restore/restore.json", "rehearsal.sqlite",
                "verify-after-rollback/verify.json", "ledger.sqlite",
            ] {
                #expect(FileManager.default.fileExists(atPath: "\(directory)/cutover-out/\(artifact)"), "\(artifact)")
            }
            let legacy = try SQLiteDatabase(path: "\(directory)/cutover-out/legacy.sqlite", mode: .readOnly)
            let tables = try legacy.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'membership_membersyncqueue%'"
            )
            .compactMap { $0[0].textValue }
            #expect(tables.contains("membership_membersyncqueue"), "rolled back")
            #expect(
                tables.contains { $0.hasPrefix("membership_membersyncqueue_retired_") }, "retired before the rollback")
            let verify = try String(
                contentsOfFile: "\(directory)/cutover-out/verify-after-rollback/verify.json", encoding: .utf8)
            #expect(verify.contains("\"verdict\": \"pass\""))
            // A second rehearsal starts from nothing and says go again.
            let again = try await CutoverBinary.run(["rehearse"] + Self.rehearsalSize, directory: directory)
            #expect(again.exitCode == 0 && again.stdout.contains("GO: every step passed."), "\(again.stdout)")
        }
    }

    @Test func dryRunsWriteNothing() async throws {
        try await withTemporaryDirectory { directory in
            let seed = try await CutoverBinary.run(
                ["demo", "seed", "--into", "sqlite:legacy.sqlite", "--dry-run"], directory: directory)
            #expect(seed.exitCode == 0)
            #expect(seed.stdout.contains("would create"))
            #expect(filesIn(directory).isEmpty)
            try await DemoWorld(members: 20, queueRows: 40).copy(into: directory)
            let snapshot = try await CutoverBinary.run(
                ["snapshot", "--source", "sqlite:legacy.sqlite", "--dry-run"], directory: directory)
            #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
            #expect(snapshot.stdout.contains("would snapshot"))
            #expect(filesIn(directory).filter { !$0.hasPrefix("legacy-firestore.sqlite") } == ["legacy.sqlite"])
        }
    }

    @Test func helpTeachesAndListsExitCodes() async throws {
        let help = try await CutoverBinary.run(["--help"])
        #expect(help.exitCode == 0)
        for word in ["status", "snapshot", "demo", "Exit codes", "64  usage error"] {
            #expect(help.stdout.contains(word))
        }
        let snapshotHelp = try await CutoverBinary.run(["snapshot", "--help"])
        #expect(snapshotHelp.stdout.contains("--allow-invalid"))
        #expect(snapshotHelp.stdout.contains("Examples:"))
    }

    /// A help text's prose is joined into paragraphs; only an example's shell line may end in a backslash
    /// (its continuation is indented). A stray `\\` in the source showed up as backslashes mid-sentence.
    @Test func helpTextsHaveNoStrayBackslashes() async throws {
        let commands = [
            "status", "snapshot", "parity replay", "parity rules", "drain", "verify", "retire", "rehearse",
            "shadow serve", "shadow run", "shadow compare", "archive create", "archive verify", "archive list",
            "archive extract", "restore", "demo seed", "demo nightly-run", "firestore serve",
        ]
        for command in commands {
            let help = try await CutoverBinary.run(command.split(separator: " ").map(String.init) + ["--help"])
            #expect(help.exitCode == 0, "\(command)")
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(!help.stdout.contains("\\\\"), "\(command): a doubled backslash")
            for (index, line) in lines.enumerated() where line.hasSuffix("\\") {
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                #expect(next.hasPrefix(" "), "\(command): '\(line)' ends in a backslash mid-prose")
            }
        }
    }
}
