import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

@testable import CutoverCore

/// The drain's pipeline against a distant target: the batches' documents read ahead (never a member whose
/// write may still land), the portal edits' commits (every member's refresh and marks in one, or each
/// member's in one of its own, several at a time, when that fails), and what is measured of it (the span
/// the drain was writing, the throttle's allowance in it).
struct DrainPipelineTests {
    /// Counts the reads it is asked for and holds each commit a moment, counting how many overlap.
    actor CountingStore: DocumentStore {
        nonisolated let base: any DocumentStore
        nonisolated var label: String { base.label }
        nonisolated var database: DatabaseName { base.database }
        private(set) var reads: [[String]] = []
        private(set) var commits: [[String]] = []
        private(set) var mostCommitsAtOnce = 0
        private var commitsNow = 0
        let commitDelay: UInt64
        /// Refuses a commit that writes more than one member's document (counted, not recorded).
        let refusingSeveralMembers: Bool
        private(set) var refused = 0

        init(over base: any DocumentStore, commitDelay: UInt64 = 0, refusingSeveralMembers: Bool = false) {
            self.base = base
            self.commitDelay = commitDelay
            self.refusingSeveralMembers = refusingSeveralMembers
        }

        func batchGet(_ paths: [String]) async throws -> [String: FirestoreDocument] {
            reads.append(paths)
            return try await base.batchGet(paths)
        }

        func commit(_ writes: [FirestoreWrite]) async throws -> CommitResult {
            if refusingSeveralMembers && writes.filter({ $0.documentPath.hasPrefix("members/") }).count > 1 {
                refused += 1
                throw FirestoreError(.unavailable, "refused: several members in one commit")
            }
            commits.append(writes.map(\.documentPath))
            commitsNow += 1
            mostCommitsAtOnce = max(mostCommitsAtOnce, commitsNow)
            defer { commitsNow -= 1 }
            if commitDelay > 0 { try await Task.sleep(nanoseconds: commitDelay) }
            return try await base.commit(writes)
        }

        func getDocument(_ path: String) async throws -> FirestoreDocument? { try await base.getDocument(path) }

        func listDocuments(collection: String, pageSize: Int, pageToken: String?) async throws -> DocumentPage {
            try await base.listDocuments(collection: collection, pageSize: pageSize, pageToken: pageToken)
        }

        func runQuery(_ query: StructuredQuery, parent: String) async throws -> [FirestoreDocument] {
            try await base.runQuery(query, parent: parent)
        }

        func reset() async throws { try await base.reset() }
    }

    static func members(_ names: [String]) -> [(kennitala: String, rows: [QueueRow])] {
        names.map { ($0, []) }
    }

    static func member(_ kennitala: String, _ name: String, at time: Timestamp) -> FirestoreDocument {
        FirestoreDocument(
            path: DocumentPath.member(kennitala).description, fields: ["name": .string(name)], createTime: time,
            updateTime: time)
    }

    @Test func readsTheNextBatchesOnceAndUsesWhatWasReadAhead() async throws {
        let time = Timestamp(parsing: "2025-11-25T12:00:00Z")!
        let scratch = ScratchDocumentStore(
            documents: ["0101701230", "0101701231", "0101701232"].map { Self.member($0, "x", at: time) },
            serverTime: time)
        let store = CountingStore(over: scratch)
        let members = Self.members((0..<7).map { "010170\(1230 + $0)" })
        var reads = DrainReadAhead(
            store: store, backoff: DrainBackoff(attempts: 1, base: 0, cap: 0), depth: 2)
        // Batches of 2 from the start: this one and the two after it, each read once however often asked.
        reads.readAhead(members, after: 0, batchSize: 2, busy: [])
        reads.readAhead(members, after: 0, batchSize: 2, busy: [])
        let first = try await reads.documents(of: members[0..<2])
        #expect(first.keys.sorted() == ["members/0101701230", "members/0101701231"])
        let second = try await reads.documents(of: members[2..<4])
        #expect(second.keys.sorted() == ["members/0101701232"], "a member with no document is absent")
        _ = try await reads.documents(of: members[4..<6])
        let asked = await store.reads
        #expect(asked.count == 3)
        let batches = [[0, 1], [2, 3], [4, 5]].map { $0.map { "members/010170\(1230 + $0)" } }
        #expect(Set(asked.map { $0.sorted() }) == Set(batches))
    }

    @Test func aBatchHoldingAMemberWhoseWriteMayStillLandIsReadWhenPlanned() async throws {
        let time = Timestamp(parsing: "2025-11-25T12:00:00Z")!
        let scratch = ScratchDocumentStore(documents: [Self.member("0101701232", "old", at: time)], serverTime: time)
        let store = CountingStore(over: scratch)
        // The same member in two batches (a queue read out of member order): the second batch must not be
        // read before the first one's write landed.
        let members = Self.members(["0101701230", "0101701232", "0101701232", "0101701233"])
        var reads = DrainReadAhead(store: store, backoff: DrainBackoff(attempts: 1, base: 0, cap: 0), depth: 2)
        reads.readAhead(members, after: 0, batchSize: 2, busy: [])
        _ = try await reads.documents(of: members[0..<2])
        #expect(await store.reads.count == 1, "only the first batch: the second shares a member with it")
        // The first batch's write lands, then the second batch is planned: it reads what the write left.
        await scratch.setServerTime(time.adding(seconds: 5))
        _ = try await scratch.commit([.set("members/0101701232", ["name": .string("new")])])
        // While a write of the member is in flight, its batch is not read ahead either.
        reads.readAhead(members, after: 2, batchSize: 2, busy: ["0101701232"])
        #expect(await store.reads.count == 1)
        let second = try await reads.documents(of: members[2..<4])
        #expect(second["members/0101701232"]?.fields["name"] == .string("new"))
        #expect(await store.reads.count == 2)
    }

    @Test func theWritingSpanRunsFromTheFirstCommitSentToTheLastAnswered() {
        let timings = DrainPipelineTimings()
        #expect(timings.writing == nil)
        timings.commitLanded(held: 0, sent: 10, answered: 10.3, writes: 200, inFlight: 1)
        timings.commitLanded(held: 0.4, sent: 10.4, answered: 10.6, writes: 150, inFlight: 0)
        timings.commitLanded(held: 0, sent: 10.1, answered: 10.5, writes: 100, inFlight: 0)
        let writing = timings.writing
        #expect(writing?.writes == 450)
        #expect(abs((writing?.seconds ?? 0) - 0.6) < 1e-9)
    }

    @Test func theThrottlesAllowanceOverASpanIsAFullBucketThenItsRate() {
        let ramped = RateGate(RampedRateLimiter(ramp: .firestore), now: { 0 })
        #expect(ramped.allowance(within: 0) == 500)
        #expect(abs((ramped.allowance(within: 8) ?? 0) - (500 + 8 * 500)) < 1e-6)
        #expect(RateGate(RampedRateLimiter(ramp: nil), now: { 0 }).allowance(within: 8) == nil)
    }

    /// Six members of the register with an edit each from the portal, beside the demo's own.
    static func addPortalEdits(to world: CutoverWorld) async throws {
        let cursor = try world.database.openCursor(
            "SELECT ssn FROM membership_comrade WHERE ssn NOT LIKE '9999%' ORDER BY id LIMIT 6")
        var kennitalas: [String] = []
        while let row = try cursor.next(), let ssn = row.first ?? nil { kennitalas.append(ssn) }
        try #require(kennitalas.count == 6)
        _ = try await world.store.commit(
            kennitalas.enumerated().map { index, kennitala in
                .set(
                    "sync_queue/pipeline-test-\(index)",
                    [
                        "source": "firestore", "target": "django", "collection": "members",
                        "kennitala": .string(kennitala), "action": "update",
                        "changes": .map(["profile.email": .string("nytt.\(index)@example.is")]),
                        "sync_status": "pending", "created_at": .timestamp(CutoverWorld.start),
                    ])
            })
        world.clock.advance(seconds: 60)
    }

    /// Drains `world` through `store` (4 commits in flight) and checks the portal's queue is left empty.
    static func drainPortalEdits(_ world: CutoverWorld, through store: CountingStore) async throws -> DrainReport {
        var configuration = Drainer.Configuration(table: world.table, journalPath: world.journalPath)
        configuration.backoffBase = 0
        configuration.commitsInFlight = 4
        let report = try await Drainer(
            configuration: configuration, database: world.database, store: store, clock: world.clock.closure
        ).run()
        #expect(report.reverse.error == nil)
        #expect(report.reverse.refreshedDocuments >= 6)
        var pending = 0
        try await world.store.forEachDocument(in: "sync_queue") { document in
            if document.fields["sync_status"] == "pending" || document.fields["status"] == "pending" {
                pending += 1
            }
        }
        #expect(pending == 0, "nothing is left pending in the portal's queue")
        return report
    }

    @Test func thePortalEditsLandInOneCommitEachMembersRefreshWithItsMarks() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            try await Self.addPortalEdits(to: world)
            let store = CountingStore(over: world.store)
            let report = try await Self.drainPortalEdits(world, through: store)
            // The portal edits' commit comes before any batch is read; a batch commit holds members only.
            let edits = await store.commits.filter { $0.contains { $0.hasPrefix("sync_queue/") } }
            #expect(edits.count == 1, "one round trip for every member's edits")
            let commit = edits.first ?? []
            #expect(commit.filter { $0.hasPrefix("members/") }.count == report.reverse.refreshedDocuments)
            #expect(Set(commit).count == commit.count, "each member's refresh once")
        }
    }

    @Test func whenTheCommitOfAllEditsFailsEachMembersGoesOnItsOwnSeveralAtATime() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            try await Self.addPortalEdits(to: world)
            // 20 ms a commit: long enough for commits sent together to overlap.
            let store = CountingStore(over: world.store, commitDelay: 20_000_000, refusingSeveralMembers: true)
            let report = try await Self.drainPortalEdits(world, through: store)
            #expect(await store.refused >= 1)
            let edits = await store.commits.filter { $0.contains { $0.hasPrefix("sync_queue/") } }
            #expect(edits.count >= report.reverse.refreshedDocuments)
            let refreshed = edits.filter { $0.contains { $0.hasPrefix("members/") } }
            #expect(refreshed.count == report.reverse.refreshedDocuments, "each refresh rides with its marks")
            for commit in refreshed {
                #expect(commit.filter { $0.hasPrefix("members/") }.count == 1)
            }
            #expect(await store.mostCommitsAtOnce > 1)
        }
    }
}
