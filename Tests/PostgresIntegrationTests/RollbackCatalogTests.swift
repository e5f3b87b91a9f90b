import CutoverDemo
import CutoverSupport
import Foundation
import LegacySync
import Postgres
import TestSupport
import Testing

@testable import CutoverCore

/// The way back restores what retirement removed (issue 18, point 4): after retire's rename and a restore
/// into the original place, the queue table's constraints — the deferrable foreign key to
/// membership_comrade included — indexes and sequence are what they were; where the register is absent
/// the foreign key is listed as skipped, with the file that adds it later.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct RollbackCatalogTests {
    static let table = "public.membership_membersyncqueue"

    /// The table's catalog as PostgreSQL describes it: every constraint with its definition, every index
    /// with its definition, and the sequence its id draws from with its position.
    static func catalog(_ connection: PostgresConnection) throws -> String {
        try connection.query(
            """
            SELECT (SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), E'\\n' ORDER BY conname)
                      FROM pg_constraint WHERE conrelid = '\(table)'::regclass)
                || E'\\n' || (SELECT string_agg(indexname || ' ' || indexdef, E'\\n' ORDER BY indexname)
                      FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'membership_membersyncqueue')
                || E'\\n' || pg_get_serial_sequence('\(table)', 'id')
                || ' ' || (SELECT last_value || ' ' || is_called FROM membership_membersyncqueue_id_seq)
            """
        ).value(0, 0) ?? ""
    }

    @Test func theCatalogAfterRollbackIsTheCatalogBeforeRetire() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            _ = try DemoSeeder(plan: seedPlan(members: 40, queueRows: 300)).run(into: database)
            // The demo's Django flavour declares the queue's member_id as Django does: a deferrable foreign key.
            let connection = try PostgresConnection(url)
            try await withTemporaryDirectory { directory in
                let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                    from: database)
                let before = try Self.catalog(connection)
                #expect(
                    before.contains(
                        "membership_membersyncqueue_member_id_fkey FOREIGN KEY (member_id) "
                            + "REFERENCES membership_comrade(id) DEFERRABLE INITIALLY DEFERRED"), "\(before)")

                // Retire's own statements: the table, its sequence and indexes renamed aside.
                let retirement = Retirement(
                    configuration: .init(
                        table: .defaultName, archivePath: "", parityReportPath: "", journalPath: "", rehearsalPath: ""),
                    database: database, store: nil)
                let statements = try retirement.statements(retiredName: "membership_membersyncqueue_retired_20261130")
                try database.withTransaction { for statement in statements { try database.execute(statement) } }
                #expect(try !database.tableExists(schema: "public", table: "membership_membersyncqueue"))

                // The rollback: into the original place, beside the retired copy.
                let result = try Restorer(options: .init(snapshotPath: snapshot.path)).run(into: database)
                #expect(try Self.catalog(connection) == before)
                #expect(result.objects.allSatisfy { $0.skipped == nil }, "\(result.objects.map(\.line))")
                #expect(
                    result.objects.contains(
                        RestoredObject(kind: .constraint, name: "membership_membersyncqueue_member_id_fkey")))
                #expect(
                    result.objects.contains { $0.kind == .sequence } && result.objects.contains { $0.kind == .index })

                // Where membership_comrade does not exist the foreign key is skipped, and the output says how
                // to add it later; everything else is recreated.
                try TestPostgres.withFreshDatabase { other in
                    let elsewhere = try Restorer(options: .init(snapshotPath: snapshot.path)).run(
                        into: try LegacyDatabaseOpener.open(other))
                    let skipped = elsewhere.objects.filter { $0.skipped != nil }
                    #expect(skipped.map(\.name) == ["membership_membersyncqueue_member_id_fkey"])
                    let line = try #require(skipped.first?.line)
                    #expect(line.contains("membership_comrade does not exist in schema public"), "\(line)")
                    #expect(line.contains("data/queue/foreign-keys.sql"), "\(line)")
                }
            }
        }
    }
}
