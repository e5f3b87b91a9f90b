import Foundation
import SQLite
import TestSupport
import Testing

/// Issue 19, "nothing half-done": every check that can fail runs before irreversible work, a failed
/// command leaves nothing it created, and extraction is all or nothing — through the binary, on SQLite
/// and the embedded store.
struct CLIHalfDoneWorkTests {
    static let queue = "membership_membersyncqueue"

    func run(_ arguments: [String], in directory: String) async throws -> CutoverBinary.Outcome {
        try await CutoverBinary.run(arguments, directory: directory)
    }

    func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Every queue row's bookkeeping, in id order: what a drain changes.
    func queueState(_ path: String) throws -> [[SQLiteValue]] {
        let database = try SQLiteDatabase(path: path, mode: .readOnly)
        defer { database.close() }
        return try database.query(
            "SELECT id, sync_status, retry_count, error_message, synced_at FROM \(Self.queue) ORDER BY id")
    }

    func seedAndArchive(in directory: String) async throws {
        try await DemoWorld(members: 30, queueRows: 80).copy(into: directory)
        let snapshot = try await run(
            [
                "snapshot", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite",
                "--out", "s.sqlite",
            ], in: directory)
        #expect(snapshot.exitCode == 0, "\(snapshot.stderr)")
        let archive = try await run(
            ["archive", "create", "--snapshot", "s.sqlite", "--out", "a.tar.gz"], in: directory)
        #expect(archive.exitCode == 0, "\(archive.stderr)")
    }

    @Test func aDrainWhoseOutCannotBeWrittenFailsBeforeTouchingTheQueue() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 30, queueRows: 80).copy(into: directory)
            let before = try queueState("\(directory)/legacy.sqlite")
            #expect(before.contains { $0[1].textValue == "pending" }, "the demo queue has pending rows to drain")
            let storeBefore = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/legacy-firestore.sqlite"))
            // A regular file where the report folder's parent should be: no directory can be made there, root or not.
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: "\(directory)/blocker"))

            let drained = try await run(
                [
                    "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:legacy-firestore.sqlite",
                    "--include-failed", "--out", "blocker/drain", "--journal", "state/journal.sqlite",
                ], in: directory)
            #expect(drained.exitCode == 6, "\(drained.stderr)")
            #expect(drained.stderr.contains("--out blocker/drain cannot be written"), "\(drained.stderr)")
            #expect(try queueState("\(directory)/legacy.sqlite") == before)
            #expect(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/legacy-firestore.sqlite")) == storeBefore)
            #expect(!exists("\(directory)/state"), "no journal, and no folder for it")
            #expect(!exists("\(directory)/cutover-out"))

            // A journal path that is a directory is refused the same way, and the --out folder it made goes again.
            try FileManager.default.createDirectory(
                atPath: "\(directory)/journal-dir", withIntermediateDirectories: true)
            let journalIsFolder = try await run(
                [
                    "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:legacy-firestore.sqlite",
                    "--out", "reports/drain", "--journal", "journal-dir",
                ], in: directory)
            #expect(journalIsFolder.exitCode == 6, "\(journalIsFolder.stderr)")
            #expect(try queueState("\(directory)/legacy.sqlite") == before)
            #expect(!exists("\(directory)/reports"))
        }
    }

    @Test func aFailingSnapshotIntoANewPathLeavesNoFileAndNoFolder() async throws {
        try await withTemporaryDirectory { directory in
            try await DemoWorld(members: 20, queueRows: 40).copy(into: directory, store: .none)
            let snapshot = try await run(
                [
                    "snapshot", "--source", "sqlite:legacy.sqlite", "--table", "no_such_queue",
                    "--firestore", "embedded:typo-store.sqlite", "--out", "new/deeper/s.sqlite",
                ], in: directory)
            #expect(snapshot.exitCode == 5, "\(snapshot.stderr)")
            #expect(!exists("\(directory)/new"), "the folders it made for the output are gone")
            #expect(!exists("\(directory)/typo-store.sqlite"), "the empty store a mistyped path made is gone")
            #expect(filesIn(directory) == ["legacy.sqlite"])
        }
    }

    @Test func aSeedThatFailsHalfwayLeavesNoDatabaseButKeepsTheStoreThatWasThere() async throws {
        try await withTemporaryDirectory { directory in
            // A store that refuses every document write: the legacy database is filled, then the seed fails.
            let trap = try SQLiteDatabase(path: "\(directory)/trap.sqlite", mode: .create)
            try trap.execute(
                """
                CREATE TABLE documents (path TEXT PRIMARY KEY, parent TEXT NOT NULL, fields TEXT NOT NULL,
                    create_time INTEGER NOT NULL, update_time INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TRIGGER refuse BEFORE INSERT ON documents BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END;
                """)
            trap.close()
            let seeded = try await run(
                [
                    "demo", "seed", "--into", "sqlite:new/legacy.sqlite", "--firestore", "embedded:trap.sqlite",
                    "--members", "30", "--queue-rows", "60",
                ], in: directory)
            #expect(seeded.exitCode != 0)
            #expect(seeded.stderr.contains("disk quota exceeded"), "\(seeded.stderr)")
            #expect(!exists("\(directory)/new"), "the half-seeded database and its folder are gone")
            #expect(exists("\(directory)/trap.sqlite"), "the store was there before: never removed")
        }
    }

    @Test func aRestoreFromADamagedSnapshotLeavesNoNewDatabase() async throws {
        try await withTemporaryDirectory { directory in
            try await seedAndArchive(in: directory)
            try SQLiteTamper(path: "\(directory)/s.sqlite").run(
                "DELETE FROM queue_rows WHERE rowid = (SELECT min(rowid) FROM queue_rows)")
            let restored = try await run(
                ["restore", "--snapshot", "s.sqlite", "--into", "sqlite:back/back.sqlite", "--out", "records/restore"],
                in: directory)
            #expect(restored.exitCode == 7, "\(restored.stderr)")
            #expect(!exists("\(directory)/back"), "no empty database, no folder")
            #expect(!exists("\(directory)/records"), "no record folder")
        }
    }

    @Test func extractingATruncatedArchiveLeavesNothing() async throws {
        try await withTemporaryDirectory { directory in
            try await seedAndArchive(in: directory)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/a.tar.gz"))
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: "\(directory)/cut.tar.gz"))
            let extracted = try await run(["archive", "extract", "cut.tar.gz", "--to", "out/restored"], in: directory)
            #expect([4, 7].contains(extracted.exitCode), "\(extracted.stderr)")
            #expect(!exists("\(directory)/out"), "no destination, no staging folder, no parent made for it")
            #expect(!filesIn(directory).contains { $0.contains("extracting") })
        }
    }

    @Test func extractionRefusesAnExistingDirectoryUnlessForcedAndThenReplacesItWhole() async throws {
        try await withTemporaryDirectory { directory in
            try await seedAndArchive(in: directory)
            try FileManager.default.createDirectory(atPath: "\(directory)/restored", withIntermediateDirectories: true)
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: "\(directory)/restored/notes.txt"))

            let refused = try await run(["archive", "extract", "a.tar.gz", "--to", "restored"], in: directory)
            #expect(refused.exitCode == 6, "\(refused.stderr)")
            #expect(refused.stderr.contains("restored already exists"), "\(refused.stderr)")
            #expect(filesIn("\(directory)/restored") == ["notes.txt"])

            let forced = try await run(
                ["archive", "extract", "a.tar.gz", "--to", "restored", "--force"], in: directory)
            #expect(forced.exitCode == 0, "\(forced.stderr)")
            let bag = try #require(filesIn("\(directory)/restored").first)
            #expect(filesIn("\(directory)/restored") == [bag], "the old contents went with the old directory")
            #expect(filesIn("\(directory)/restored/\(bag)").contains("bagit.txt"))
            #expect(exists("\(directory)/restored/\(bag)/data/queue/rows.copy"))
            #expect(!filesIn(directory).contains { $0.contains("extracting") || $0.contains("replaced") })
        }
    }

    @Test func aSymbolicLinkPlantedInTheDestinationIsNeverFollowed() async throws {
        try await withTemporaryDirectory { directory in
            try await seedAndArchive(in: directory)
            // The bag's folder name, from a clean extraction.
            #expect(try await run(["archive", "extract", "a.tar.gz", "--to", "clean"], in: directory).exitCode == 0)
            let bag = try #require(filesIn("\(directory)/clean").first)
            // Someone plants the bag's folder as a link to a directory outside the destination.
            try FileManager.default.createDirectory(atPath: "\(directory)/elsewhere", withIntermediateDirectories: true)
            try Data("sentinel".utf8).write(to: URL(fileURLWithPath: "\(directory)/elsewhere/sentinel.txt"))
            try FileManager.default.createDirectory(atPath: "\(directory)/planted", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: "\(directory)/planted/\(bag)", withDestinationPath: "\(directory)/elsewhere")

            #expect(try await run(["archive", "extract", "a.tar.gz", "--to", "planted"], in: directory).exitCode == 6)
            #expect(filesIn("\(directory)/elsewhere") == ["sentinel.txt"])

            let forced = try await run(["archive", "extract", "a.tar.gz", "--to", "planted", "--force"], in: directory)
            #expect(forced.exitCode == 0, "\(forced.stderr)")
            #expect(
                filesIn("\(directory)/elsewhere") == ["sentinel.txt"],
                "nothing written through the link, nothing deleted behind it")
            var status = stat()
            #expect(
                lstat("\(directory)/planted/\(bag)", &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR,
                "the bag's folder is a real directory now, not the link")
            #expect(filesIn("\(directory)/planted/\(bag)") == filesIn("\(directory)/clean/\(bag)"))
        }
    }
}
