import CutoverCore
import CutoverDemo
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// `Drainer` in-process on the demo world (SQLite and the embedded store) under a test clock: every
/// unresolved row at or below the mark gets exactly one outcome, only resolved rows are marked synced
/// (at the clock's time), a rerun writes nothing twice, and a dry run plans exactly what the run does.
struct DrainerTests {
    @Test func everyRowAtOrBelowTheMarkGetsExactlyOneOutcome() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let before = try world.rows()
            let unresolved = Set(before.values.filter { $0.status != .synced }.map(\.id))
            #expect(!unresolved.isEmpty)

            let report = try await world.drain()
            #expect(report.mark == before.keys.max())
            #expect(report.stoppedEarly == nil && report.rowsAboveMark == 0 && !report.resumed)
            let outcomes = Dictionary(
                (try report.results).map { ($0.rowID, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            #expect((try report.results).count == outcomes.count, "no row has two outcomes")
            #expect(Set(outcomes.keys) == unresolved, "every unresolved row, and only those, has an outcome")
            #expect(report.counts.values.reduce(0, +) == unresolved.count)
            // The famous orphan: a delete of a document that never existed.
            let orphan = try #require(
                before.values.first { $0.normalisedSSN == DemoQueueGenerator.knownOrphanSSN && $0.action == .delete })
            #expect(outcomes[orphan.id] == .orphan)
            #expect((report.counts[.applied] ?? 0) > 0 && (report.counts[.superseded] ?? 0) > 0)

            // Resolved rows are synced at the drain's clock; dead letters stay as they were.
            let after = try world.rows()
            for (id, outcome) in outcomes {
                let row = try #require(after[id])
                if outcome.marksSynced {
                    #expect(row.status == .synced && row.syncedAt == world.clock.now, "row \(id) \(outcome)")
                    // A row settled without a write says how; an applied row keeps what it had.
                    switch outcome {
                    case .superseded:
                        #expect(row.errorMessage.hasPrefix("superseded: settled by the cutover drain"), "row \(id)")
                    case .orphan:
                        #expect(row.errorMessage.hasPrefix("orphan: settled by the cutover drain"), "row \(id)")
                    default: #expect(row.errorMessage == before[id]?.errorMessage, "row \(id) \(outcome)")
                    }
                } else {
                    #expect(
                        row.status == before[id]?.status && row.syncedAt == before[id]?.syncedAt, "row \(id) \(outcome)"
                    )
                }
            }
            #expect(after.values.filter { $0.status != .synced }.count == (try report.deadLetters).count)
            let journal = try #require(try DrainJournal.existing(path: world.journalPath)?.latest())
            #expect(
                journal.mark == report.mark && journal.startedAt == world.clock.now
                    && journal.finishedAt == world.clock.now)
        }
    }

    /// A second drain finds only the dead letters again: nothing resolved is written twice.
    @Test func aRerunWritesNothingTwice() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let first = try await world.drain()
            let documents = try await world.documentTimes()
            world.clock.advance(seconds: 3_600)
            let second = try await world.drain()
            #expect(second.drainID == first.drainID + 1 && second.mark == first.mark)
            let again = try second.results
            #expect(again.allSatisfy { !$0.outcome.marksSynced }, "\(again.prefix(3))")
            #expect(Set(again.map(\.rowID)) == Set(try first.deadLetters.map(\.rowID)))
            #expect(try await world.documentTimes() == documents, "no document was written again")
        }
    }

    /// The dry run's plan is the run's outcome, row for row, and it leaves queue, journal and store alone.
    @Test func aDryRunPlansWhatTheRunDoesAndWritesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let rows = try world.rows()
            let documents = try await world.documentTimes()
            let planned = try await world.drain(dryRun: true)
            #expect(try planned.dryRun && !planned.results.isEmpty)
            #expect(try world.rows() == rows, "the queue is untouched")
            #expect(try await world.documentTimes() == documents, "the store is untouched")
            #expect(!FileManager.default.fileExists(atPath: world.journalPath), "a dry run keeps no journal")

            let drained = try await world.drain()
            func byRow(_ report: DrainReport) throws -> [Int64: DrainOutcome] {
                Dictionary((try report.results).map { ($0.rowID, $0.outcome) }, uniquingKeysWith: { first, _ in first })
            }
            #expect(try byRow(planned) == byRow(drained))
            #expect(planned.counts == drained.counts)
        }
    }

    /// Without --include-failed the failed rows are not the drain's: they keep their status and count.
    @Test func failedRowsWaitForIncludeFailed() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let failed = Set(try world.rows().values.filter { $0.status == .failed }.map(\.id))
            #expect(!failed.isEmpty)
            let report = try await world.drain(includeFailed: false)
            #expect(Set((try report.results).map(\.rowID)).isDisjoint(with: failed))
            #expect(Set(try world.rows().values.filter { $0.status == .failed }.map(\.id)) == failed)
        }
    }
}
