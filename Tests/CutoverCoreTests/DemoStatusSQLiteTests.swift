import CutoverCore
import CutoverDemo
import CutoverSupport
import LegacySync
import SQLite
import TestSupport
import Testing

struct DemoStatusSQLiteTests {
    @Test(arguments: DemoSchema.Flavour.allCases)
    func statusFindsExactlyWhatWasPlanted(_ flavour: DemoSchema.Flavour) async throws {
        try withTemporaryDirectory { directory in
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            let summary = try DemoSeeder(plan: seedPlan(flavour: flavour)).run(into: database)
            #expect(summary.tally.totalRows == 2_500)
            #expect(summary.tally.pendingStranded > 0 && summary.tally.pendingFresh > 0)
            #expect(summary.tally.failedByRetryCount.count >= 3)
            #expect(summary.tally.allDroppedUpdates > 0 && summary.tally.placeholderRows > 0)
            #expect((summary.tally.hyphenatedRows > 0) == (flavour == .handwritten))
            let status = try QueueStatusCollector(options: statusOptions())
                .collect(from: LiveQueueSource(database: database, table: .defaultName))
            expectStatus(status, matches: summary.tally)
        }
    }

    @Test func sameSeedSameDataOtherSeedOtherData() async throws {
        try await withTemporaryDirectory { directory in
            func seededHash(_ name: String, seed: UInt64) async throws -> String {
                let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/\(name).sqlite", create: true)
                _ = try DemoSeeder(plan: seedPlan(members: 200, queueRows: 400, seed: seed)).run(into: database)
                let snapshot = try await SnapshotWriter(options: .init(outputPath: "\(directory)/\(name).snap")).run(
                    from: database)
                return snapshot.manifest.tables.map(\.sha256).joined(separator: ",")
            }
            let first = try await seededHash("a", seed: 3)
            let same = try await seededHash("b", seed: 3)
            let other = try await seededHash("c", seed: 4)
            #expect(same == first)
            #expect(other != first)
        }
    }

    @Test func seedingRefusesAnExistingSchemaUnlessReplacing() async throws {
        try withTemporaryDirectory { directory in
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
            _ = try DemoSeeder(plan: seedPlan(members: 50, queueRows: 100)).run(into: database)
            let refused = #expect(throws: CutoverError.self) {
                try DemoSeeder(plan: seedPlan(members: 50, queueRows: 100)).run(into: database)
            }
            #expect(refused?.kind == .output)
            var replace = seedPlan(members: 60, queueRows: 120)
            replace.replace = true
            let summary = try DemoSeeder(plan: replace).run(into: database)
            #expect(summary.tally.totalRows == 120)
        }
    }
}
