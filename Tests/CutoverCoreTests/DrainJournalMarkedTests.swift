import CutoverSupport
import Foundation
import LegacySync
import TestSupport
import Testing

@testable import CutoverCore

/// A landed batch's outcomes and the `marked` flags ride the journal's next transaction instead of one of
/// their own: until then another connection — a rerun after a crash — sees the intents open (and asks the
/// target) and the rows unmarked (and marks them again in the queue), the states a crash between a write's
/// answer and its outcome, or the queue's update and the flag, always left.
struct DrainJournalMarkedTests {
    static func row(_ id: Int64) -> DrainRowResult {
        DrainRowResult(rowID: id, kennitala: "0101702389", action: .update, outcome: .applied, detail: "")
    }

    /// A journal in a temporary directory, its path (for a second connection, as a rerun's), and a drain begun.
    func withJournal(_ body: (String, DrainJournal, DrainJournal.Drain) throws -> Void) throws {
        try withTemporaryDirectory { directory in
            let path = "\(directory)/drain.journal"
            let journal = try DrainJournal(path: path)
            let drain = try journal.begin(
                mark: 100, via: "webhook", source: "test", target: "test", at: Timestamp(microseconds: 0))
            try body(path, journal, drain)
        }
    }

    @Test func markedFlagsWaitForTheNextTransactionOrTheFinish() throws {
        try withJournal { path, journal, drain in
            try journal.recordOutcomes([Self.row(1), Self.row(2), Self.row(3)], settling: [], drain: drain)
            func marked(_ id: Int64) throws -> Bool? { try DrainJournal(path: path).outcomes(drain)[id]?.marked }

            journal.recordMarkedLater([1], drain: drain)
            #expect(try marked(1) == false, "not yet on disk: a rerun marks row 1 in the queue again")
            try journal.recordPlanned(settled: [Self.row(4)], intents: [], drain: drain)
            #expect(try marked(1) == true, "written with the next batch's transaction")
            #expect(try marked(4) == false)

            journal.recordMarkedLater([2], drain: drain)
            try journal.recordOutcomes([], settling: ["0101702389"], drain: drain)
            #expect(try marked(2) == true)

            journal.recordMarkedLater([3, 4], drain: drain)
            try journal.finish(drain, at: Timestamp(microseconds: 1))
            #expect(try marked(3) == true)
            #expect(try marked(4) == true)
            #expect(try DrainJournal(path: path).latest()?.finishedAt != nil)

            // `recordMarked` still writes at once (a rerun's own marks).
            try journal.recordOutcomes([Self.row(5)], settling: [], drain: drain)
            try journal.recordMarked([5], drain: drain)
            #expect(try marked(5) == true)
        }
    }

    @Test func outcomesWaitForTheNextTransactionWithTheIntentsTheySettle() throws {
        try withJournal { path, journal, drain in
            let intent = DrainJournal.Intent(
                kennitala: "0101702389", rowIDs: [1], baseUpdateTime: nil, outcomes: [Self.row(1)])
            try journal.recordIntents([intent], drain: drain)
            journal.recordOutcomesLater([Self.row(1)], settling: ["0101702389"], drain: drain)
            #expect(journal.hasLater)
            // A crash now: the rerun sees the intent open and no outcome, and asks the target.
            #expect(try DrainJournal(path: path).openIntents(drain) == [intent])
            #expect(try DrainJournal(path: path).outcomes(drain).isEmpty)
            // The next batch's transaction writes both, the older outcome first.
            let next = DrainJournal.Intent(
                kennitala: "0202702389", rowIDs: [2], baseUpdateTime: nil, outcomes: [Self.row(2)])
            try journal.recordPlanned(settled: [], intents: [next], drain: drain)
            #expect(!journal.hasLater)
            #expect(try DrainJournal(path: path).openIntents(drain) == [next])
            #expect(try DrainJournal(path: path).outcomes(drain)[1]?.result == Self.row(1))
            // With nothing of its own to write, a planned batch still writes what waits.
            journal.recordOutcomesLater([Self.row(2)], settling: ["0202702389"], drain: drain)
            try journal.recordPlanned(settled: [], intents: [], drain: drain)
            #expect(try DrainJournal(path: path).openIntents(drain).isEmpty)
            #expect(try DrainJournal(path: path).outcomes(drain).count == 2)
        }
    }

    @Test func aDrainStoppedEarlyStillWritesItsFlags() throws {
        try withJournal { path, journal, drain in
            try journal.recordOutcomes([Self.row(1)], settling: [], drain: drain)
            journal.recordMarkedLater([1], drain: drain)
            try journal.flushLater()
            #expect(try DrainJournal(path: path).outcomes(drain)[1]?.marked == true)
            #expect(try DrainJournal(path: path).latest()?.finishedAt == nil)
        }
    }
}
