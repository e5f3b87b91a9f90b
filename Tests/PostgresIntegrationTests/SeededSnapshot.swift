import CutoverCore
import CutoverDemo
import LegacySync
import Snapshots
import TestSupport

/// A fresh database seeded with 40 members and 300 queue rows, and its snapshot in a temporary directory:
/// what the restore tests restore from and over.
func withSeededSnapshot<T>(
    _ flavour: DemoSchema.Flavour = .django,
    _ body: (_ url: String, _ database: any LegacyDatabase, _ snapshot: SnapshotWriter.Result) async throws -> T
) async throws -> T {
    try await TestPostgres.withFreshDatabase { url in
        let database = try LegacyDatabaseOpener.open(url)
        _ = try DemoSeeder(plan: seedPlan(members: 40, queueRows: 300, flavour: flavour)).run(into: database)
        return try await withTemporaryDirectory { directory in
            let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/s.sqlite")).run(
                from: database)
            return try await body(url, database, snapshot)
        }
    }
}

/// The queue table's every row and column as one string: equal before and after means nothing changed.
let queueTableFingerprint =
    "SELECT count(*) || ' ' || md5(string_agg(q::text, ',' ORDER BY id)) FROM membership_membersyncqueue q"
