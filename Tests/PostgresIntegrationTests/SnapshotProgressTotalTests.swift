import CutoverCore
import CutoverDemo
import CutoverSupport
import LegacySync
import TestSupport
import Testing

/// The snapshot's percentage on PostgreSQL: the queue's rows estimated from the planner's statistics, as
/// the planner estimates them, without a second read of the table.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct SnapshotProgressTotalTests {
    let queue = QueueTableName(schema: "public", table: "membership_membersyncqueue")

    func estimate(_ database: any LegacyDatabase) throws -> (rows: Int, estimated: Bool)? {
        try database.withConsistentRead { _ in database.cheapRowCount(of: queue) }
    }

    @Test func theQueueRowsAreEstimatedFromStatisticsAndScaledToTheTableNow() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            _ = try DemoSeeder(plan: seedPlan(members: 300, queueRows: 20_000)).run(into: database)
            try database.execute("ANALYZE public.membership_membersyncqueue")
            let analysed = try #require(try estimate(database))
            #expect(analysed.estimated)
            #expect(abs(analysed.rows - 20_000) <= 200, "\(analysed.rows)")
            // Rows added since the last ANALYZE count too: the rows per page times the pages there are now.
            try database.execute(
                "DO $$ DECLARE columns text; BEGIN SELECT string_agg(quote_ident(column_name), ', ') INTO columns "
                    + "FROM information_schema.columns WHERE table_schema = 'public' "
                    + "AND table_name = 'membership_membersyncqueue' AND column_name <> 'id'; "
                    + "EXECUTE format('INSERT INTO public.membership_membersyncqueue (%s) SELECT %s "
                    + "FROM public.membership_membersyncqueue', columns, columns); END $$")
            // An estimate, not a count: the seed's updates leave dead rows that set the rows per page, and
            // autovacuum may run meanwhile (the whole suite's load made it 25,537 once). That the table grew
            // must show.
            let grown = try #require(try estimate(database))
            #expect(grown.rows > analysed.rows * 5 / 4 && abs(grown.rows - 40_000) <= 20_000, "\(grown.rows)")
            // The snapshot's counted lines carry the estimate as their total.
            try await withTemporaryDirectory { directory in
                var counts: [ProgressCount] = []
                _ = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                    from: database, counted: { counts.append($0) })
                let rows = counts.filter { $0.unit == "queue rows" }
                #expect(rows.first?.done == 0 && rows.count >= 2, "\(rows)")
                #expect(rows.allSatisfy { $0.total == grown.rows && $0.totalIsEstimate }, "\(rows)")
            }
        }
    }

    @Test func aTableNeverAnalysedHasNoTotal() throws {
        try TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            try database.execute("CREATE TABLE public.membership_membersyncqueue (id serial PRIMARY KEY, ssn text)")
            #expect(try estimate(database) == nil)
        }
    }
}
