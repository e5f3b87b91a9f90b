import CutoverCore
import CutoverDemo
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Synchronization
import TestSupport
import Testing

/// Path A's run record and bookkeeping as LEGACY.md §4 says: every `stats` field, mark-synced flipping
/// only rows still pending, and `since` against `created_at` compared as instants whatever text form
/// the table stores — in `status`, the nightly run, the replay and the drain alike.
struct PathABookkeepingTests {
    static let lastSuccess = DemoTimeline.lastSuccessfulRunCompleted  // 2025-11-24T03:30:07.412Z
    static let runAt = Timestamp(parsing: "2025-11-25T03:30:00Z")!
    static let queue = QueueTableName.defaultName

    /// Pending rows whose `created_at` text sorts apart from its instant. As text, the first two sort
    /// after (with `T`) or the last two before (with a space) the `since` literal, the wrong way round.
    static let rows: [(id: Int64, created: String, status: String, fresh: Bool)] = [
        (1, "2025-11-24T05:00:00+02:00", "pending", false),  // 03:00Z: before the last run, stranded
        (2, "2025-11-24 03:00:00", "pending", false),  // no zone, taken as UTC: 03:00Z, stranded
        (3, "2025-11-24T06:00:00+02:00", "pending", true),  // 04:00Z: fresh
        (4, "2025-11-24 04:00:00", "pending", true),  // no zone: 04:00Z, fresh
        (5, "2025-11-24T04:30:00Z", "failed", true),  // failed: never fetched, never flipped
    ]

    /// A demo register on SQLite whose queue holds only `rows`, all for one member; that member's
    /// register entry; and a store whose sync_logs say the last run succeeded at `lastSuccess`.
    func legacy(
        _ directory: String, rows: [(id: Int64, action: String, created: String, status: String)]
    ) async throws
        -> (any LegacyDatabase, RegisterMember, EmbeddedDocumentStore)
    {
        let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite", create: true)
        _ = try DemoSeeder(plan: seedPlan(members: 40, queueRows: 20)).run(into: database)
        var member: RegisterMember?
        try database.withConsistentRead { _ in
            try RegisterReader(database: database, schema: "public").scan {
                if member == nil && !Kennitala.isPlaceholder($0.ssn) { member = $0 }
            }
        }
        let chosen = try #require(member)
        try database.execute("DELETE FROM membership_membersyncqueue")
        for row in rows {
            try database.execute(
                "INSERT INTO membership_membersyncqueue (id, member_id, ssn, action, fields_changed, created_at, "
                    + "synced_at, "
                    + "sync_status, error_message, retry_count) VALUES (\(row.id), \(chosen.id), '\(chosen.ssn)', "
                    + "'\(row.action)', "
                    + "'{}', '\(row.created)', NULL, '\(row.status)', '', 0)")
        }
        let store = try EmbeddedDocumentStore(path: "\(directory)/firestore.sqlite")
        _ = try await store.commit([
            .set(
                "sync_logs/previous",
                ["type": "bidirectional_sync", "status": "success", "completed_at": .timestamp(Self.lastSuccess)]),
            .set(
                "members/\(chosen.ssn)",
                try PathACreateDocument.fields(
                    memberJSON: chosen.pathAMemberJSON,
                    serverTime: Timestamp(parsing: "2025-11-20T03:30:02Z")!)),
        ])
        return (database, chosen, store)
    }

    func statuses(_ database: any LegacyDatabase) throws -> [Int64: String] {
        var statuses: [Int64: String] = [:]
        for case .success(let row) in try QueueTableWriter(database: database, table: Self.queue).rows(after: 0) {
            statuses[row.id] = row.status.rawValue
        }
        return statuses
    }

    @Test func theRunRecordCarriesEveryStatsFieldOfSection4() async throws {
        try await withTemporaryDirectory { directory in
            let store = try EmbeddedDocumentStore(path: "\(directory)/firestore.sqlite")
            // The run's clock: its start, then 2.5 s later for everything after.
            let calls = Mutex(0)
            let clock: @Sendable () -> Timestamp = {
                calls.withLock {
                    $0 += 1; return $0 == 1 ? Self.runAt : Timestamp(microseconds: Self.runAt.microseconds + 2_500_000)
                }
            }
            _ = try await PathANightlyRun(store: store, django: InMemoryDjango(rows: [], members: []), clock: clock)
                .run()
            let log = try #require(try await store.getDocument("sync_logs/run-\(Self.runAt.microseconds)"))
            #expect(Set(log.fields.keys) == ["type", "status", "stats", "created_at", "completed_at"])
            let stats = try #require(log.fields["stats"]?.mapValue)
            #expect(
                Set(stats.keys) == [
                    "started_at", "last_sync", "completed_at", "duration_seconds", "django_to_firestore",
                    "firestore_to_django", "error",
                ])
            #expect(stats["duration_seconds"] == .double(2.5))
            #expect(stats["started_at"] == .timestamp(Self.runAt))
            #expect(stats["last_sync"] == .timestamp(Self.runAt.adding(seconds: -86_400)))
            #expect(stats["completed_at"] == log.fields["completed_at"])
            #expect(stats["django_to_firestore"] == ["success": 0, "failed": 0])
            #expect(stats["firestore_to_django"] == ["success": 0, "failed": 0])
            #expect(stats["error"] == .null)
        }
    }

    @Test func markSyncedFlipsOnlyRowsStillPending() async throws {
        try await withTemporaryDirectory { directory in
            let (database, _, _) = try await legacy(
                directory, rows: Self.rows.map { ($0.id, "update", $0.created, $0.status) })
            // Django's side on a connection of its own (the actor owns it).
            let django = try LegacyDatabaseDjango(
                database: try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite"), table: Self.queue)
            #expect(try await django.markSynced([1, 5], at: Self.runAt) == 1)
            #expect(try statuses(database)[1] == "synced")
            #expect(try statuses(database)[5] == "failed")
            // The model of Django used by replays agrees.
            let decoded = try QueueTableWriter(database: database, table: Self.queue).rows(after: 0).compactMap {
                try? $0.get()
            }
            let memory = InMemoryDjango(rows: decoded, members: [])
            #expect(await memory.markSynced([2, 5], at: Self.runAt) == 1)
            #expect(await memory.rows.first { $0.id == 5 }?.status == .failed)
        }
    }

    @Test func statusClassifiesPendingRowsByTheInstantTheirTextDenotes() async throws {
        try await withTemporaryDirectory { directory in
            let (database, _, _) = try await legacy(
                directory, rows: Self.rows.map { ($0.id, "update", $0.created, $0.status) })
            var options = QueueStatusCollector.Options(asOf: Self.runAt)
            options.lastRun = Self.lastSuccess
            let status = try QueueStatusCollector(options: options).collect(
                from: LiveQueueSource(database: database, table: Self.queue))
            #expect(status.pendingFresh == 2)
            #expect(status.pendingStranded == 2)
        }
    }

    @Test func theNightlyRunFetchesOnlyRowsCreatedAfterSinceAsInstants() async throws {
        try await withTemporaryDirectory { directory in
            let (database, _, store) = try await legacy(
                directory, rows: Self.rows.map { ($0.id, "update", $0.created, $0.status) })
            let django = try LegacyDatabaseDjango(
                database: try LegacyDatabaseOpener.open("sqlite:\(directory)/legacy.sqlite"), table: Self.queue)
            #expect(try await django.pendingChanges(since: Self.lastSuccess).map(\.id) == [3, 4])
            let report = try await PathANightlyRun(store: store, django: django, clock: { Self.runAt }).run()
            #expect(report.since == Self.lastSuccess)
            #expect(Set(report.rowOutcomes.keys) == [3, 4])
            #expect(report.markedSynced == 2)
            #expect(try statuses(database) == [1: "pending", 2: "pending", 3: "synced", 4: "synced", 5: "failed"])
        }
    }

    @Test func theReplayStrandsRowsByTheInstantTheirTextDenotes() async throws {
        try await withTemporaryDirectory { directory in
            let (database, member, store) = try await legacy(
                directory, rows: Self.rows.map { ($0.id, "update", $0.created, $0.status) })
            // The rows as the replay gets them: decoded from the stored text, oldest first.
            let rows = try QueueTableWriter(database: database, table: Self.queue).rows(after: 0).compactMap {
                try? $0.get()
            }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            let replay = MemberReplay(since: Self.lastSuccess, runAt: Self.runAt)
            let result = await replay.runPathA(
                MemberChanges(
                    kennitala: member.ssn, rows: rows, pathA: member.pathAMemberJSON,
                    baseline: try await store.getDocument("members/\(member.ssn)")))
            let stranded = Set(result.events.filter { $0.cause == .pathAStranded }.map(\.rowID))
            #expect(stranded == [1, 2])
            // The fresh ones are fetched (their empty changes drop, as every unmapped key does).
            #expect(Set(result.events.filter { $0.outcome != .skipped }.map(\.rowID)) == [3, 4])
        }
    }

    /// The drain applies each member's rows oldest first by instant: a delete stored as
    /// `…T05:00:00+02:00` (03:00Z) came before an update stored as `… 04:00:00` (04:00Z), though as
    /// text it sorts after it; the member's current state is written, not an inactive mark.
    @Test func theDrainOrdersAMembersRowsByTheInstantTheirTextDenotes() async throws {
        try await withTemporaryDirectory { directory in
            let (database, member, store) = try await legacy(
                directory,
                rows: [
                    (10, "update", "2025-11-24 04:00:00", "pending"),
                    (11, "delete", "2025-11-24T05:00:00+02:00", "pending"),
                ])
            let configuration = Drainer.Configuration(table: Self.queue, journalPath: "\(directory)/journal.sqlite")
            let report = try await Drainer(
                configuration: configuration, database: database, store: store, clock: { Self.runAt }
            ).run()
            #expect(report.stoppedEarly == nil)
            let document = try #require(try await store.getDocument("members/\(member.ssn)"))
            #expect(document.value(at: FieldPath(["membership", "status"])) == "active")
            #expect(document.value(at: FieldPath(["profile", "kennitala"])) == .string(member.ssn))
            #expect(try statuses(database) == [10: "synced", 11: "synced"])
        }
    }
}
