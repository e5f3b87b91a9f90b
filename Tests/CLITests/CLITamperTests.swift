import CutoverSupport
import Foundation
import SQLite
import TestSupport
import Testing

/// A snapshot changed after it was written is refused everywhere it is read (issue 19, point 7):
/// `parity replay`, `status` and `restore` each hold every table — the queue, the member register, the
/// Firestore collections — to the manifest before they use any of it, and name the table and the file.
struct CLITamperTests {
    /// One change to one table each, behind the toolkit's back, as `sqlite3` would make it.
    static let tampers: [(table: String, sql: String)] = [
        (
            "queue_rows",
            "UPDATE queue_rows SET error_message = coalesce(error_message, '') || 'tampered' WHERE rowid = 7"
        ),
        (
            "register_members",
            "UPDATE register_members SET path_b = path_b || ' ' WHERE member_id = "
                + "(SELECT min(member_id) FROM register_members)"
        ),
        (
            "firestore/members",
            "UPDATE firestore_documents SET fields = '{}' WHERE collection = 'members' "
                + "AND id = (SELECT min(id) FROM firestore_documents WHERE collection = 'members')"
        ),
    ]

    @Test func everyCommandRefusesASnapshotTamperedInAnyTable() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            try await DemoWorld(members: 40, queueRows: 120).copy(into: directory)
            let taken = try await run([
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                "--out", "s.sqlite",
            ])
            #expect(taken.exitCode == 0, "\(taken.stderr)")

            // The untouched snapshot is accepted by all three: the refusals below are the tampering's doing.
            let replayed = try await run(["parity", "replay", "--snapshot", "s.sqlite", "--out", "parity-clean"])
            #expect([0, 10].contains(replayed.exitCode), "\(replayed.stderr)")
            let counted = try await run(["status", "--source", "s.sqlite"])
            #expect(counted.exitCode == 0, "\(counted.stderr)")
            let restored = try await run([
                "restore", "--snapshot", "s.sqlite", "--into", "sqlite:clean.sqlite", "--out", "restore-clean",
            ])
            #expect(restored.exitCode == 0, "\(restored.stderr)")

            for (index, tamper) in Self.tampers.enumerated() {
                let copy = "t\(index).sqlite"
                try FileManager.default.copyItem(atPath: "\(directory)/s.sqlite", toPath: "\(directory)/\(copy)")
                let raw = try SQLiteTamper(path: "\(directory)/\(copy)")
                try raw.run(tamper.sql)
                #expect(raw.database.changes == 1, "the tamper of \(tamper.table) changed one row")
                raw.database.close()

                let target = "back\(index).sqlite"
                let refusals = [
                    (
                        "parity replay",
                        try await run(["parity", "replay", "--snapshot", copy, "--out", "parity\(index)"])
                    ),
                    ("status", try await run(["status", "--source", copy])),
                    (
                        "restore",
                        try await run([
                            "restore", "--snapshot", copy, "--into", "sqlite:\(target)", "--out", "restore\(index)",
                        ])
                    ),
                ]
                for (command, outcome) in refusals {
                    #expect(
                        outcome.exitCode == ExitCode.input.code,
                        "\(command) of \(tamper.table): \(outcome.stdout)\(outcome.stderr)")
                    let line =
                        outcome.stderr.split(separator: "\n").first { $0.contains("does not match its own manifest") }
                        ?? ""
                    #expect(
                        line.contains("snapshot \(copy)") && line.contains("\(tamper.table): expected"),
                        "\(command) names the file and the table: \(outcome.stderr)")
                    // Only the tampered table is named: the check is per table, not one verdict for the file.
                    for other in Self.tampers.map(\.table) where other != tamper.table {
                        #expect(!line.contains("\(other):"), "\(command): \(line)")
                    }
                    #expect(outcome.stderr.contains("next: take a new snapshot"), "\(command): \(outcome.stderr)")
                }
                // Nothing was written: no report, and no table in the restore's target.
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/parity\(index)/parity.json"))
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/restore\(index)/restore.json"))
                // A failed command leaves no database it created (issue 19's nothing-half-done).
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/\(target)"), "no empty database left")
            }
        }
    }

    /// Rows put into a table the manifest does not list (or whose entry was deleted to hide a change) are
    /// found too: a snapshot taken without the register has none.
    @Test func rowsTheManifestDoesNotListAreRefused() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            try await DemoWorld(members: 30, queueRows: 60).copy(into: directory, store: .none)
            #expect(try await run(["snapshot", "--source", "sqlite:legacy.sqlite", "--out", "s.sqlite"]).exitCode == 0)
            let raw = try SQLiteTamper(path: "\(directory)/s.sqlite")
            let members = try #require(
                try raw.database.query("SELECT count(*) FROM register_members").first?.first?.integerValue)
            #expect(members > 0)
            try raw.run("DELETE FROM snapshot_tables WHERE name = 'register_members'")
            raw.database.close()
            let status = try await run(["status", "--source", "s.sqlite"])
            #expect(status.exitCode == ExitCode.input.code)
            #expect(
                status.stderr.contains("register_members: \(members) rows the manifest does not list"),
                "\(status.stderr)")
        }
    }
}
