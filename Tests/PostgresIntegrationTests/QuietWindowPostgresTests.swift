import CutoverDemo
import CutoverSupport
import LegacySync
import TestSupport
import Testing

@testable import CutoverCore

/// The quiet-window gate on PostgreSQL (issue 18, point 5): the newest insert comes from the queue
/// table's `created_at` — Django's `timestamptz` and the old docs' `timestamp` without a zone alike — and
/// is judged against a test clock moved by hand.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct QuietWindowPostgresTests {
    @Test(arguments: [DemoSchema.Flavour.django, .handwritten])
    func theNewestCreatedAtAgainstTheClock(flavour: DemoSchema.Flavour) throws {
        try TestPostgres.withFreshDatabase { url in
            let database = try LegacyDatabaseOpener.open(url)
            _ = try DemoSeeder(plan: seedPlan(members: 40, queueRows: 200, flavour: flavour)).run(into: database)
            let queue = try QueueTableWriter(database: database, table: .defaultName)
            let mark = try queue.highWaterMark()
            let landed = Timestamp(parsing: "2026-11-30T12:00:00.25Z")!
            func insert(_ id: Int64, createdAt: String) throws {
                try database.execute(
                    """
                    INSERT INTO membership_membersyncqueue (id, member_id, ssn, action, fields_changed, created_at,
                        synced_at, sync_status, error_message, retry_count)
                    VALUES (\(id), NULL, '0101702389', 'update', '{}', '\(createdAt)', NULL, 'pending', '', 0)
                    """)
            }
            let withZone = flavour != .handwritten
            // A member save a moment ago; then a higher id dated an hour earlier (a hand-made insert), and a
            // value no clock reaches: the newest instant decides, and 'infinity' is no instant.
            try insert(mark + 1, createdAt: database.timestampText(landed, withTimeZone: withZone))
            try insert(
                mark + 2, createdAt: database.timestampText(landed.adding(seconds: -3_600), withTimeZone: withZone))
            try insert(mark + 3, createdAt: "infinity")

            let window = try QuietWindow.measure(database, table: .defaultName, highestID: try queue.highWaterMark())
            #expect(
                window.newest == .init(id: mark + 1, createdAt: landed) && window.highestID == mark + 3, "\(window)")
            let clock = TestClock(landed.adding(seconds: 180))
            let waiting = window.gate(now: clock.now, quietFor: 600)
            #expect(!waiting.passed)
            #expect(
                waiting.detail == "last insert 3 min ago (row \(mark + 1) at \(landed.iso8601)); quiet window 10 min: "
                    + "7 min to go if nothing more is written")
            clock.advance(seconds: 419)
            #expect(!window.gate(now: clock.now, quietFor: 600).passed)
            clock.advance(seconds: 1)
            #expect(window.gate(now: clock.now, quietFor: 600).passed)
        }
    }
}
