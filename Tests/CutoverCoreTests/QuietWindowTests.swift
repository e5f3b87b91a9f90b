import CutoverSupport
import Foundation
import LegacySync
import TestSupport
import Testing

@testable import CutoverCore

/// Writers stopped before retire (issue 18, point 5): the quiet-window gate measures the queue table's
/// newest `created_at` against the retirement's clock, here a test clock moved by hand (no sleeps).
/// While an unchanged Django still inserts rows above the drain's mark, retire refuses; once the row is
/// drained, archived again and the window has passed, it retires.
struct QuietWindowTests {
    func failing(_ result: Retirement.Result) -> [RetirementGate.Name] {
        result.gates.filter { !$0.passed }.map(\.name)
    }

    func detail(_ result: Retirement.Result) -> String {
        result.gates.first { $0.name == .quietWindow }?.detail ?? "no quiet-window gate"
    }

    @Test func refusedWhileARowLandsAboveTheMarkAcceptedAfterTheQuietWindow() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let archive = try await world.readyToRetire()
            let created = try #require(archive.bagInfo["Cutover-Snapshot-Created"].flatMap(Timestamp.init(parsing:)))
            world.clock.set(created.adding(seconds: 3_600))
            let quiet = try await world.retirement()
            #expect(quiet.allGatesPass, "\(quiet.gates.filter { !$0.passed })")
            #expect(quiet.gates.last?.name == .quietWindow)
            #expect(
                detail(quiet).hasPrefix("last insert ") && detail(quiet).hasSuffix("; quiet window 10 min"),
                "\(detail(quiet))")
            #expect(
                quiet.unchangedDjango.contains("fails on every member save (no such table: membership_membersyncqueue)")
            )

            // Django still runs Path A's post_save handler: a member save a minute ago inserted a row above
            // the mark, for a member the register has, as the handler writes it.
            let rows = try world.rows()
            let mark = try #require(rows.keys.max())
            let member = try #require(
                rows.values.sorted { $0.id < $1.id }
                    .first { $0.action == .update && $0.memberID != nil && !$0.ssn.hasPrefix("9999") })
            let landed = world.clock.now.adding(seconds: -60)
            try world.database.execute(
                """
                INSERT INTO membership_membersyncqueue (id, member_id, ssn, action, fields_changed, created_at,
                    synced_at, sync_status, error_message, retry_count)
                VALUES (\(mark + 1), \(member.memberID!), '\(member.ssn)', 'update', '{}',
                    '\(world.database.timestampText(landed, withTimeZone: true))', NULL, 'pending', '', 0)
                """)
            let landing = try await world.retirement()
            #expect(
                failing(landing) == [.noRowsAfterMark, .quietWindow] && landing.exitCode == ExitCode.retireRefused.code)
            #expect(
                detail(landing) == "last insert 1 min ago (row \(mark + 1) at \(landed.iso8601)); quiet window 10 min: "
                    + "9 min to go if nothing more is written")

            // Path A's handlers deployed away: the row is drained under a new mark and archived again; only the
            // window is left, and it is measured from the row, not from when the drain ran.
            let drained = try await world.drain()
            #expect(drained.exitCode == 0)
            try FileManager.default.removeItem(atPath: "\(directory)/rehearsal.sqlite")
            _ = try await world.archiveAndRehearse()
            world.clock.set(landed.adding(seconds: 599))
            let waiting = try await world.retirement()
            #expect(failing(waiting) == [.quietWindow], "\(waiting.gates.filter { !$0.passed })")
            #expect(detail(waiting).hasPrefix("last insert 9 min 59 s ago (row \(mark + 1) at "))
            #expect(detail(waiting).hasSuffix("; quiet window 10 min: 1 s to go if nothing more is written"))

            // Exactly the window: retired, under the clock's date.
            world.clock.set(landed.adding(seconds: 600))
            let longer = try await world.retirement { $0.quietForSeconds = 3_600 }
            #expect(
                failing(longer) == [.quietWindow]
                    && detail(longer).hasSuffix("quiet window 1 h: 50 min to go if nothing more is written"))
            let retired = try await world.retirement { $0.confirm = true }
            #expect(retired.allGatesPass && retired.executed, "\(retired.gates.filter { !$0.passed })")
            #expect(
                detail(retired) == "last insert 10 min ago (row \(mark + 1) at \(landed.iso8601)); quiet window 10 min")
            #expect(try !world.database.tableExists(schema: "public", table: "membership_membersyncqueue"))
        }
    }

    /// SQLite keeps `created_at` as text in several forms; the newest is the latest instant, not the
    /// largest text, and the newest by id does not decide it.
    @Test func theNewestInsertIsTheLatestInstantWhateverTheTextForm() throws {
        try withTemporaryDirectory { directory in
            let database = try LegacyDatabaseOpener.open("sqlite:\(directory)/q.sqlite", create: true)
            try database.execute("CREATE TABLE membership_membersyncqueue (id integer PRIMARY KEY, created_at text)")
            try database.execute(
                """
                INSERT INTO membership_membersyncqueue VALUES (1, '2026-11-30T12:05:00+02:00'), (2, '2026-11-30 \
                11:00:00'),
                    (3, '2026-11-30 10:59:59.5+00'), (4, NULL), (5, 'yesterday')
                """)
            let window = try QuietWindow.measure(database, table: .defaultName, highestID: 5)
            #expect(window.newest == .init(id: 2, createdAt: Timestamp(parsing: "2026-11-30T11:00:00Z")!))
        }
    }

    @Test func theGateOnAnEmptyTableAnUnreadableOneAndAClockBehindTheDatabase() throws {
        let now = Timestamp(parsing: "2026-11-30T12:00:00Z")!
        let empty = QuietWindow(newest: nil, highestID: 0).gate(now: now, quietFor: 600)
        #expect(empty.passed && empty.detail == "the table holds no rows: nothing was inserted; quiet window 10 min")
        let unreadable = QuietWindow(newest: nil, highestID: 7).gate(now: now, quietFor: 600)
        #expect(!unreadable.passed && unreadable.detail.hasPrefix("no row has a readable created_at"))
        let ahead = QuietWindow(newest: .init(id: 9, createdAt: now.adding(seconds: 300)), highestID: 9)
            .gate(now: now, quietFor: 0)
        #expect(
            !ahead.passed
                && ahead.detail.contains("(row 9 at 2026-11-30T12:05:00Z) is dated 5 min after this machine's clock"))
        let longAgo = QuietWindow(
            newest: .init(id: 9, createdAt: now.adding(seconds: -(370 * 86_400 + 4 * 3_600 + 59))),
            highestID: 9
        ).gate(now: now, quietFor: 90)
        #expect(
            longAgo.passed && longAgo.detail.hasPrefix("last insert 370 d 4 h ago")
                && longAgo.detail.hasSuffix("quiet window 1 min 30 s"))
        #expect(
            [45, 600, 192, 7_500, 7_200].map(QuietWindow.span) == ["45 s", "10 min", "3 min 12 s", "2 h 5 min", "2 h"])
    }
}
