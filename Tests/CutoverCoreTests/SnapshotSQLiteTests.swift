import CutoverCore
import CutoverDemo
import CutoverSupport
import Foundation
import LegacySync
import SQLite
import Snapshots
import TestSupport
import Testing

struct SnapshotSQLiteTests {
    func seeded(_ directory: String) throws -> any LegacyDatabase {
        let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
        _ = try DemoSeeder(plan: seedPlan(members: 300, queueRows: 800)).run(into: database)
        return database
    }

    @Test func snapshotsOfAnUnchangedDatabaseHaveIdenticalContentHashes() async throws {
        try await withTemporaryDirectory { directory in
            let database = try seeded(directory)
            let first = try await SnapshotWriter(options: .init(outputPath: "\(directory)/one.sqlite")).run(
                from: database)
            let second = try await SnapshotWriter(options: .init(outputPath: "\(directory)/two.sqlite")).run(
                from: database)
            #expect(first.manifest.tables == second.manifest.tables)
            #expect(first.manifest.snapshotID != second.manifest.snapshotID)
            #expect(first.manifest.table("queue_rows")?.rowCount == 800)
            #expect(first.manifest.table("register_members")?.rowCount == 300)
            // The file checks out against its own manifest, and status reads it like the live source.
            let file = try SnapshotFile(path: "\(directory)/one.sqlite")
            #expect(try file.verifyContent().isEmpty)
            let live = try QueueStatusCollector(options: statusOptions())
                .collect(from: LiveQueueSource(database: database, table: .defaultName))
            let fromFile = try QueueStatusCollector(options: statusOptions()).collect(from: file)
            #expect(live.byStatusAction == fromFile.byStatusAction)
            #expect(live.orphanDeletes == fromFile.orphanDeletes)
        }
    }

    @Test func hashRecomputedFromAnIndependentReadOfTheSourceMatches() async throws {
        try await withTemporaryDirectory { directory in
            _ = try seeded(directory)
            let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite"))
                .run(from: try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite"))
            // Read the source table directly with the SQLite wrapper and hash per FORMAT.md.
            let source = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
            let hasher = RowHasher()
            for row in try source.query("SELECT * FROM membership_membersyncqueue ORDER BY id") {
                hasher.addRow(row.map(\.textValue))
            }
            #expect(hasher.rowCount == 800)
            #expect(hasher.finalize() == snapshot.manifest.table("queue_rows")?.sha256)
        }
    }

    @Test func tamperingIsDetectedByVerify() async throws {
        try await withTemporaryDirectory { directory in
            _ = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                from: try seeded(directory))
            let writable = try SQLiteDatabase(path: "\(directory)/s.sqlite", mode: .readWrite)
            try writable.execute("UPDATE queue_rows SET error_message = error_message || 'x' WHERE rowid = 5")
            writable.close()
            let mismatches = try SnapshotFile(path: "\(directory)/s.sqlite").verifyContent()
            #expect(mismatches.count == 1)
            #expect(mismatches.first?.hasPrefix("queue_rows:") == true)
        }
    }

    @Test func invalidRowsRefuseTheSnapshotAndLeaveNoFileUnlessAllowed() async throws {
        try await withTemporaryDirectory { directory in
            let database = try seeded(directory)
            try database.execute("UPDATE membership_membersyncqueue SET fields_changed = '[1,2]' WHERE id = 10")
            let refused = await #expect(throws: CutoverError.self) {
                try await SnapshotWriter(options: .init(outputPath: "\(directory)/out/s.sqlite")).run(from: database)
            }
            #expect(refused?.kind == .invalidData)
            #expect(refused?.message.contains("row id=10 column fields_changed") == true)
            #expect(filesIn("\(directory)/out").isEmpty)
            var options = SnapshotWriter.Options(outputPath: "\(directory)/out/s.sqlite")
            options.allowInvalid = true
            let kept = try await SnapshotWriter(options: options).run(from: database)
            #expect(kept.problemCount == 1)
            #expect(filesIn("\(directory)/out") == ["s.sqlite"])
            let status = try QueueStatusCollector(options: statusOptions()).collect(from: SnapshotFile(path: kept.path))
            #expect(status.invalidRowCount == 1)
            #expect(status.exitCode == 4)
        }
    }

    @Test func existingOutputIsRefusedWithoutForce() async throws {
        try await withTemporaryDirectory { directory in
            let database = try seeded(directory)
            let path = "\(directory)/s.sqlite"
            _ = FileManager.default.createFile(atPath: path, contents: Data("keep me".utf8))
            let refused = await #expect(throws: CutoverError.self) {
                try await SnapshotWriter(options: .init(outputPath: path)).run(from: database)
            }
            #expect(refused?.kind == .output)
            #expect(FileManager.default.contents(atPath: path) == Data("keep me".utf8))
            var options = SnapshotWriter.Options(outputPath: path)
            options.force = true
            _ = try await SnapshotWriter(options: options).run(from: database)
            #expect(try SnapshotFile(path: path).verifyContent().isEmpty)
        }
    }

    @Test func otherFilesAreNotSnapshots() async throws {
        try await withTemporaryDirectory { directory in
            let other = try SQLiteDatabase(path: "\(directory)/x.sqlite", mode: .create)
            try other.execute("CREATE TABLE t (a)")
            other.close()
            let notSnapshot = #expect(throws: CutoverError.self) { try SnapshotFile(path: "\(directory)/x.sqlite") }
            #expect(notSnapshot?.kind == .input)
            _ = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                from: try seeded(directory))
            let old = try SQLiteDatabase(path: "\(directory)/s.sqlite", mode: .readWrite)
            try old.execute("UPDATE snapshot_manifest SET value = '0' WHERE key = 'format_version'")
            old.close()
            let version = #expect(throws: CutoverError.self) { try SnapshotFile(path: "\(directory)/s.sqlite") }
            #expect(version?.message.contains("format version 0") == true)
        }
    }
}
