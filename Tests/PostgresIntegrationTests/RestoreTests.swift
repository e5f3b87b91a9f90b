import CutoverCore
import CutoverDemo
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Postgres
import SQLite
import Snapshots
import TestSupport
import Testing

@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct RestorePostgresTests {
    /// A row changed in the file loads, but the table reads back different from the manifest: the restore
    /// rolls back with --replace, the table keeps every row it had, and the refusal names the snapshot as
    /// damaged (the file is hashed once the read-back failed), not the database.
    @Test func aDamagedSnapshotWithReplaceLeavesTheTableAsItWas() async throws {
        let outcome = try await restoreTamperedSnapshot(
            "UPDATE queue_rows SET error_message = 'tampered' WHERE rowid = 200")
        #expect(outcome.refusal.contains("does not match its own manifest; nothing was restored"))
        #expect(outcome.refusal.contains("queue_rows: expected 300 rows"))
        #expect(outcome.tableAfter == outcome.tableBefore)
    }

    /// A row changed so that the table refuses it (text in an integer column) stops the load itself; the
    /// refusal still names the snapshot as damaged rather than passing on PostgreSQL's complaint alone.
    @Test func aSnapshotRowTheTableRefusesIsNamedAsDamaged() async throws {
        let outcome = try await restoreTamperedSnapshot("UPDATE queue_rows SET retry_count = 'x' WHERE rowid = 200")
        #expect(outcome.refusal.contains("does not match its own manifest; nothing was restored"))
        #expect(outcome.tableAfter == outcome.tableBefore)
    }

    /// The proof is the read-back, not the file: a change PostgreSQL undoes on input (`007` for `7` in an
    /// integer column) loads a table equal to the manifest, so the restore goes through, with the manifest's
    /// rows, count and hash. `' 7'` is one the binary load's encoder leaves to PostgreSQL: every row then goes
    /// in again as text, and the outcome is the same.
    @Test(arguments: ["'00' || retry_count", "' ' || retry_count"])
    func aChangeTheDatabaseUndoesOnInputStillRestoresTheManifestsRows(_ changed: String) async throws {
        try await withSeededSnapshot { url, database, snapshot in
            let raw = try SQLiteDatabase(path: snapshot.path, mode: .readWrite)
            try raw.execute("UPDATE queue_rows SET retry_count = \(changed) WHERE rowid = 200")
            raw.close()
            let changed = try SnapshotFile(path: snapshot.path).verifyContent()
            #expect(changed.count == 1 && changed.first?.hasPrefix("queue_rows: expected") == true, "\(changed)")
            var options = Restorer.Options(snapshotPath: snapshot.path)
            options.replace = true
            let result = try Restorer(options: options).run(into: database)
            #expect(result.rows == 300 && result.sha256 == snapshot.manifest.table("queue_rows")?.sha256)
        }
    }

    /// The rows are read back before the restore commits: a column that does not keep what was loaded
    /// (here a snapshot whose captured type rounds timestamps to whole seconds) rolls everything back.
    @Test func aReadBackMismatchWithReplaceLeavesTheTableAsItWas() async throws {
        let outcome = try await restoreTamperedSnapshot(
            "UPDATE queue_columns SET type = 'timestamp(0) with time zone' WHERE name = 'created_at'")
        #expect(outcome.refusal.contains("does not match the snapshot; nothing was restored"))
        #expect(outcome.tableAfter == outcome.tableBefore)
    }

    /// A dry run does the whole restore — DDL, rows, indexes, the read-back — and rolls it back: the live
    /// table, its sequence and the schemas are as they were, and the result says what the restore found.
    @Test func aDryRunRestoresChecksAndRollsBack() async throws {
        try await withSeededSnapshot { url, database, snapshot in
            let connection = try PostgresConnection(url)
            try connection.execute(
                "DELETE FROM membership_membersyncqueue WHERE id > 250; "
                    + "SELECT setval(pg_get_serial_sequence('membership_membersyncqueue', 'id'), 777)")
            let state = """
                SELECT (SELECT count(*) || ' ' || md5(string_agg(q::text, ',' ORDER BY id)) FROM \
                membership_membersyncqueue q)
                    || ' ' || (SELECT last_value FROM membership_membersyncqueue_id_seq)
                    || ' ' || (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace)
                    || ' ' || (SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE \
                    tablename LIKE 'membership_membersync%')
                """
            let before = try connection.query(state).value(0, 0)
            for schema in [nil, "cutover_rehearsal"] {
                var options = Restorer.Options(snapshotPath: snapshot.path)
                options.replace = true
                options.schema = schema
                options.dryRun = true
                let result = try Restorer(options: options).run(into: database)
                #expect(result.rolledBack && result.rows == 300 && result.sequenceValue == 300)
                #expect(result.sha256 == snapshot.manifest.table("queue_rows")?.sha256)
                #expect(try connection.query(state).value(0, 0) == before, "schema \(schema ?? "public")")
            }
            // Without --replace the dry run refuses what the restore would refuse.
            var refused = Restorer.Options(snapshotPath: snapshot.path)
            refused.dryRun = true
            #expect(throws: CutoverError.self) { try Restorer(options: refused).run(into: database) }
        }
    }

    /// The table is created in the restore's transaction, so its rows go in frozen (COPY FREEZE): every page
    /// is all-visible and all-frozen as soon as the restore commits, with no VACUUM, and the read-back in
    /// stored order proved them (a replaced table too, created anew in the same transaction).
    @Test func restoredRowsAreWrittenFrozen() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            _ = try DemoSeeder(plan: seedPlan(members: 40, queueRows: 3_000)).run(into: database)
            try await withTemporaryDirectory { directory in
                let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                    from: database)
                let connection = try PostgresConnection(url)
                try connection.execute("CREATE EXTENSION IF NOT EXISTS pg_visibility")
                // Pages, all-visible pages, all-frozen pages.
                let pages = {
                    try connection.query(
                        "SELECT pg_relation_size('membership_membersyncqueue') / current_setting('block_size')::int, "
                            + "all_visible, all_frozen FROM pg_visibility_map_summary('membership_membersyncqueue')"
                    ).rows.first?.map { Int($0 ?? "") ?? -1 } ?? []
                }
                let seeded = try pages()
                #expect(
                    seeded.count == 3 && seeded[0] > 1 && seeded[2] < seeded[0],
                    "the seeded table is already frozen: \(seeded)")
                var options = Restorer.Options(snapshotPath: snapshot.path)
                options.replace = true
                let result = try Restorer(options: options).run(into: database)
                #expect(result.rows == 3_000 && result.sha256 == snapshot.manifest.table("queue_rows")?.sha256)
                let restored = try pages()
                #expect(
                    restored.count == 3 && restored[0] > 1 && restored == [restored[0], restored[0], restored[0]],
                    "\(restored)")
            }
        }
    }

    /// A fresh database seeded with 40 members and 300 queue rows, and its snapshot in a temporary directory.
    /// Seeds 300 queue rows, snapshots them, changes the snapshot file with `tamper` (SQL), and
    /// restores it over the table with --replace. The table's fingerprint covers every row and column.
    private func restoreTamperedSnapshot(
        _ tamper: String
    ) async throws -> (refusal: String, tableBefore: String?, tableAfter: String?) {
        try await withSeededSnapshot { url, database, snapshot in
            let raw = try SQLiteDatabase(path: snapshot.path, mode: .readWrite)
            try raw.execute(tamper)
            raw.close()
            let connection = try PostgresConnection(url)
            let before = try connection.query(queueTableFingerprint).value(0, 0)
            var options = Restorer.Options(snapshotPath: snapshot.path)
            options.replace = true
            let refused = #expect(throws: CutoverError.self) { try Restorer(options: options).run(into: database) }
            return (refused?.message ?? "", before, try connection.query(queueTableFingerprint).value(0, 0))
        }
    }

    @Test(arguments: [DemoSchema.Flavour.django, .djangoIdentity])
    func roundTripIntoAnotherDatabaseAndAScratchSchema(_ flavour: DemoSchema.Flavour) async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            _ = try DemoSeeder(plan: seedPlan(members: 80, queueRows: 500, flavour: flavour)).run(into: database)
            try await withTemporaryDirectory { directory in
                let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                    from: database)
                let expected = snapshot.manifest.table("queue_rows")!

                // Into an empty database: the table is recreated from the captured DDL.
                try TestPostgres.withFreshDatabase { other in
                    let result = try Restorer(options: .init(snapshotPath: snapshot.path)).run(
                        into: try LegacyDatabaseOpener.open(other))
                    #expect(result.rows == 500)
                    #expect(result.sha256 == expected.sha256)
                    #expect(result.sequenceValue == 500)
                    let restored = try LegacyDatabaseOpener.open(other).describeQueueTable(.defaultName)
                    let original = try database.describeQueueTable(.defaultName)
                    #expect(restored.columns == original.columns)
                    #expect(restored.indexes == original.indexes)
                    #expect(restored.sequence == original.sequence)
                }

                // Beside the original, in a scratch schema: the rehearsal retirement asks for.
                var rehearsal = Restorer.Options(snapshotPath: snapshot.path)
                rehearsal.schema = "cutover_rehearsal"
                let scratch = try Restorer(options: rehearsal).run(into: database)
                #expect(scratch.table.description == "cutover_rehearsal.membership_membersyncqueue")
                #expect(scratch.sha256 == expected.sha256)
                let connection = try PostgresConnection(url)
                #expect(
                    try connection.query("SELECT count(*) FROM public.membership_membersyncqueue").value(0, 0) == "500")
                // The scratch table has its own sequence: inserting there does not move the original's.
                try connection.execute(
                    "INSERT INTO cutover_rehearsal.membership_membersyncqueue (ssn, action, fields_changed, "
                        + "created_at, sync_status, error_message, retry_count) VALUES ('0101702389', 'update', '{}', "
                        + "now(), 'pending', '', 0)"
                )
                #expect(
                    try connection.query("SELECT max(id) FROM cutover_rehearsal.membership_membersyncqueue").value(0, 0)
                        == "501")
                #expect(try database.describeQueueTable(.defaultName).sequence?.lastValue == 500)

                // A non-empty table is refused without --replace, and left as it was.
                let refused = #expect(throws: CutoverError.self) {
                    try Restorer(options: .init(snapshotPath: snapshot.path)).run(into: database)
                }
                #expect(refused?.kind == .output)
                try connection.execute("DELETE FROM public.membership_membersyncqueue WHERE id > 400")
                var replace = Restorer.Options(snapshotPath: snapshot.path)
                replace.replace = true
                #expect(try Restorer(options: replace).run(into: database).rows == 500)
            }
        }
    }
}

struct RestoreSQLiteTests {
    @Test func roundTripOnSQLiteAndADamagedSnapshotRestoresNothing() async throws {
        try await withTemporaryDirectory { directory in
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            _ = try DemoSeeder(plan: seedPlan(members: 60, queueRows: 200)).run(into: database)
            let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                from: database)
            let target = try LegacyDatabaseOpener.open("sqlite:\(directory)/target.sqlite", create: true)
            let result = try Restorer(options: .init(snapshotPath: snapshot.path)).run(into: target)
            #expect(result.sha256 == snapshot.manifest.table("queue_rows")?.sha256)

            let raw = try SQLiteDatabase(path: snapshot.path, mode: .readWrite)
            try raw.execute("UPDATE queue_rows SET action = 'create' WHERE rowid = 3")
            raw.close()
            let fresh = try LegacyDatabaseOpener.open("sqlite:\(directory)/fresh.sqlite", create: true)
            let damaged = #expect(throws: CutoverError.self) {
                try Restorer(options: .init(snapshotPath: snapshot.path)).run(into: fresh)
            }
            #expect(damaged?.message.contains("nothing was restored") == true)
            #expect(try fresh.tableExists(schema: "public", table: "membership_membersyncqueue") == false)
        }
    }
}

struct FirestoreRestoreTests {
    @Test func capturedCollectionsGoBackIntoAStore() async throws {
        try await withTemporaryDirectory { directory in
            let plan = seedPlan(members: 100, queueRows: 250)
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            _ = try DemoSeeder(plan: plan).run(into: database)
            let store = try EmbeddedDocumentStore(path: "\(directory)/fs.sqlite")
            _ = try await DemoFirestoreSeeder(plan: plan).run(into: store)
            let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                from: database, firestore: store)
            let file = try SnapshotFile(path: snapshot.path)

            let target = try EmbeddedDocumentStore(path: "\(directory)/back.sqlite")
            _ = try await target.commit([.set("members/stray", ["x": 1])])
            let result = try await FirestoreRestorer(snapshot: file, replace: true).run(into: target)
            #expect(result.deleted["members"] == 1)
            for collection in SnapshotFormat.firestoreCollections {
                #expect(result.written[collection] == snapshot.manifest.table("firestore/\(collection)")?.rowCount)
                #expect(try await target.count(collection: collection) == result.written[collection])
            }
            // Every document's fields are back as they were captured.
            for original in try file.firestoreDocuments("sync_queue") {
                #expect(try await target.getDocument(original.path)?.fields == original.fields)
            }
        }
    }
}
