import CutoverCore
import CutoverDemo
import CutoverSupport
import Foundation
import LegacySync
import Postgres
import SQLite
import Snapshots
import TestSupport
import Testing

/// A restore into PostgreSQL loads into a staging schema of its own and swaps the table in only once it read
/// back equal to the manifest (`PostgresStagedRestore`): what the user sees is the old table or the restored
/// one, never anything between, and no staging schema outlives the run.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct StagedRestorePostgresTests {
    static let stagingSchemas =
        "SELECT coalesce(string_agg(nspname, ','), '') FROM pg_namespace WHERE nspname LIKE 'cutover\\_restore\\_%'"

    /// Over the live table, into the original place: constraints (the foreign key to membership_comrade
    /// included), indexes, the sequence and its position are what they were; new rows draw ids after the
    /// restored ones; no staging schema is left.
    @Test(arguments: [DemoSchema.Flavour.django, .djangoIdentity])
    func replacingKeepsTheCatalogAndLeavesNoStagingSchema(_ flavour: DemoSchema.Flavour) async throws {
        try await withSeededSnapshot(flavour) { url, database, snapshot in
            let connection = try PostgresConnection(url)
            let before = try RollbackCatalogTests.catalog(connection)
            let rows = try connection.query(queueTableFingerprint).value(0, 0)
            var options = Restorer.Options(snapshotPath: snapshot.path)
            options.replace = true
            let result = try Restorer(options: options).run(into: database)
            #expect(result.rows == 300 && result.sequenceValue == 300)
            #expect(try RollbackCatalogTests.catalog(connection) == before)
            #expect(try connection.query(queueTableFingerprint).value(0, 0) == rows)
            #expect(try connection.query(Self.stagingSchemas).value(0, 0) == "")
            try connection.execute(
                "INSERT INTO membership_membersyncqueue (ssn, action, fields_changed, created_at, sync_status, "
                    + "error_message, retry_count) VALUES ('0101702389', 'update', '{}', now(), 'pending', '', 0)")
            #expect(try connection.query("SELECT max(id) FROM membership_membersyncqueue").value(0, 0) == "301")
        }
    }

    /// A table that reads back different from the manifest (its captured type rounds timestamps) is never
    /// swapped in: the old table keeps its rows, and the staging schema is dropped.
    @Test func aReadBackMismatchLeavesTheOldTableAndNoStagingSchema() async throws {
        try await withSeededSnapshot { url, database, snapshot in
            let raw = try SQLiteDatabase(path: snapshot.path, mode: .readWrite)
            try raw.execute("UPDATE queue_columns SET type = 'timestamp(0) with time zone' WHERE name = 'created_at'")
            raw.close()
            let connection = try PostgresConnection(url)
            let before = try connection.query(queueTableFingerprint).value(0, 0)
            var options = Restorer.Options(snapshotPath: snapshot.path)
            options.replace = true
            let refused = #expect(throws: CutoverError.self) { try Restorer(options: options).run(into: database) }
            #expect(refused?.message.contains("does not match the snapshot; nothing was restored") == true)
            #expect(try connection.query(queueTableFingerprint).value(0, 0) == before)
            #expect(try connection.query(Self.stagingSchemas).value(0, 0) == "")
        }
    }

    /// What a killed run leaves (its staging schema, rows and all) is swept by the next restore of that target;
    /// another target's staging schema is not this one's to sweep.
    @Test func aLeftoverStagingSchemaIsSweptByTheNextRestore() async throws {
        try await withSeededSnapshot { url, database, snapshot in
            let connection = try PostgresConnection(url)
            let schema = PostgresStagedRestore.stagingSchema(for: .defaultName)
            let other = PostgresStagedRestore.stagingSchema(
                for: QueueTableName(schema: "cutover_rehearsal", table: "membership_membersyncqueue"))
            #expect(schema != other && schema.count == "cutover_restore_".count + 8)
            for name in [schema, other] {
                try connection.execute(
                    "CREATE SCHEMA \(name); CREATE TABLE \(name).membership_membersyncqueue (ssn varchar(10)); "
                        + "INSERT INTO \(name).membership_membersyncqueue VALUES ('0101702389')")
            }
            var options = Restorer.Options(snapshotPath: snapshot.path)
            options.replace = true
            #expect(try Restorer(options: options).run(into: database).rows == 300)
            #expect(try connection.query(Self.stagingSchemas).value(0, 0) == other)
        }
    }

    /// A row written into the staged table after its load committed and before the lock that ends writes is
    /// read back with the others, and fails the restore: the old table stays, the staging schema goes.
    @Test func aRowSlippedIntoTheStagedTableBeforeTheLockFailsTheReadBack() async throws {
        try await withSeededSnapshot { url, database, snapshot in
            let connection = try PostgresConnection(url)
            let before = try connection.query(queueTableFingerprint).value(0, 0)
            var options = Restorer.Options(snapshotPath: snapshot.path)
            options.replace = true
            options.afterStagedLoad = { staging in
                try PostgresConnection(url).execute(
                    "INSERT INTO \(staging.quoted) (id, ssn, action, fields_changed, created_at, sync_status, "
                        + "error_message, retry_count) VALUES (9999, '0101702389', 'update', '{}', now(), 'pending', "
                        + "'', 0)")
            }
            let refused = #expect(throws: CutoverError.self) { try Restorer(options: options).run(into: database) }
            #expect(refused?.message.contains("301 rows") == true, "\(refused?.message ?? "")")
            #expect(try connection.query(queueTableFingerprint).value(0, 0) == before)
            #expect(try connection.query(Self.stagingSchemas).value(0, 0) == "")
        }
    }

    /// The index builds run on builder connections of their own, each committing; one that fails (a captured
    /// unique index the rows do not satisfy) fails the restore even though the rows read back right: the old
    /// table keeps its rows and its catalog, and the staging schema, with the builds that did commit, is dropped.
    @Test func aFailedIndexBuildFailsTheRestoreAndLeavesTheOldTable() async throws {
        try await withSeededSnapshot { url, database, snapshot in
            let raw = try SQLiteDatabase(path: snapshot.path, mode: .readWrite)
            try raw.execute(
                "INSERT INTO queue_indexes VALUES ('q_status_unique', 'CREATE UNIQUE INDEX q_status_unique ON "
                    + "public.membership_membersyncqueue USING btree (sync_status)')")
            raw.close()
            let connection = try PostgresConnection(url)
            let (rows, catalog) = (
                try connection.query(queueTableFingerprint).value(0, 0), try RollbackCatalogTests.catalog(connection)
            )
            var options = Restorer.Options(snapshotPath: snapshot.path)
            options.replace = true
            let refused = #expect(throws: CutoverError.self) { try Restorer(options: options).run(into: database) }
            #expect(refused?.message.contains("could not create unique index") == true, "\(refused?.message ?? "")")
            #expect(try connection.query(queueTableFingerprint).value(0, 0) == rows)
            #expect(try RollbackCatalogTests.catalog(connection) == catalog)
            #expect(try connection.query(Self.stagingSchemas).value(0, 0) == "")
        }
    }
}
