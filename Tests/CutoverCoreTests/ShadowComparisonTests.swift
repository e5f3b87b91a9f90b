import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// `ShadowComparison` in-process: a driver changes members in the demo's SQLite register and, as
/// Django's signals would, writes queue rows and delivers webhooks to a `ShadowReceiver` — all on one
/// test clock, so "two minutes late" and "inside the settling window" are exact, with no waiting.
struct ShadowComparisonTests {
    static let key = "test-sync-key"

    /// The dual-run's parts on one world: Path A's shadow run, the receiver applying Path B.
    struct DualRun {
        let world: CutoverWorld
        let recording: DeliveryRecording
        let pathA: EmbeddedDocumentStore
        let pathB: EmbeddedDocumentStore
        let receiver: ShadowReceiver
        let runner: ShadowRunner

        init(_ world: CutoverWorld) throws {
            self.world = world
            recording = try DeliveryRecording(path: "\(world.directory)/record.sqlite")
            pathA = try EmbeddedDocumentStore(path: "\(world.directory)/path-a.sqlite", clock: world.clock.closure)
            pathB = try EmbeddedDocumentStore(path: "\(world.directory)/path-b.sqlite", clock: world.clock.closure)
            receiver = ShadowReceiver(
                recording: recording, key: ShadowComparisonTests.key, mode: .apply(pathB),
                clock: world.clock.closure)
            runner = ShadowRunner(
                database: world.database, table: world.table, shadow: pathA, baseline: world.store,
                recording: recording, clock: world.clock.closure)
        }

        /// Django's save: the register changes, a queue row is written at the clock's time (unless the
        /// change never reaches the queue), and the webhook body Django would POST is returned.
        func change(_ member: (id: Int64, ssn: String), name: String, queueRow: Bool = true) throws -> String {
            let database = world.database
            try database.execute("UPDATE membership_comrade SET name = '\(name)' WHERE id = \(member.id)")
            if queueRow {
                let created = database.timestampText(world.clock.now, withTimeZone: true)
                try database.execute(
                    """
                    INSERT INTO membership_membersyncqueue (member_id, ssn, action, fields_changed, created_at,
                        synced_at, sync_status, error_message, retry_count)
                    VALUES (\(member.id), '\(member.ssn)', 'update', '{"name": "\(name)"}', '\(created)',
                        NULL, 'pending', '', 0)
                    """)
            }
            let data = try database.withConsistentRead { _ in
                try RegisterReader(database: database, schema: "public", ssn: member.ssn).next()!.pathBDataJSON
            }
            return JSONValue.object([
                "kennitala": .string(Kennitala.hyphenated(member.ssn)), "action": "update", "data": data,
            ])
            .canonicalText
        }

        func post(_ body: String, authorization: String = "Bearer \(ShadowComparisonTests.key)") async throws -> Int {
            try await receiver.receive(method: "POST", authorization: authorization, body: body).status
        }
    }

    /// Members of the register: ordinary ones, and the first 9999 placeholder (a small demo may have none).
    func members(
        _ world: CutoverWorld
    ) throws -> (ordinary: [(id: Int64, ssn: String)], placeholder: (id: Int64, ssn: String)?) {
        var ordinary: [(id: Int64, ssn: String)] = []
        var placeholder: (id: Int64, ssn: String)?
        try world.database.withConsistentRead { _ in
            let cursor = try world.database.openCursor("SELECT id, ssn FROM membership_comrade ORDER BY id")
            while let row = try cursor.next() {
                guard let id = Int64(row[0] ?? ""), let ssn = row[1] else { continue }
                if Kennitala.isPlaceholder(ssn) {
                    placeholder = placeholder ?? (id, ssn)
                } else {
                    ordinary.append((id, ssn))
                }
            }
        }
        return (ordinary, placeholder)
    }

    @Test func theComparisonFindsExactlyThePlantedGaps() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory, members: 300, queueRows: 900)
            let run = try DualRun(world)
            let started = try await run.runner.runOnce()
            #expect(started.startedAfter == 900 && started.rows == 0, "the first run only notes where the queue stood")
            let since = world.clock.now
            let (members, maybePlaceholder) = try members(world)
            let placeholder = try #require(maybePlaceholder)

            // Delivered as it should be, a second apart.
            for member in members.prefix(5) {
                world.clock.advance(seconds: 1)
                #expect(try await run.post(try run.change(member, name: "Sent Fine")) == 200)
            }
            // The POST failed on the key: recorded as rejected; the change never reached Path B.
            #expect(
                try await run.post(try run.change(members[5], name: "Wrong Key"), authorization: "Bearer nope") == 401)
            // The POST never went out (Django does not retry).
            _ = try run.change(members[6], name: "Never Sent")
            // Sent twice.
            let twice = try run.change(members[7], name: "Sent Twice")
            #expect(try await run.post(twice) == 200)
            world.clock.advance(seconds: 1)
            #expect(try await run.post(twice) == 200)
            // A change whose transaction rolled back after the POST: a delivery with no queue row.
            let body = try run.change(members[9], name: "Rolled Back", queueRow: false)
            try world.database.execute("UPDATE membership_comrade SET name = 'Original' WHERE id = \(members[9].id)")
            #expect(try await run.post(body) == 200)
            // A 9999 placeholder: queue row, no webhook, by design.
            _ = try run.change(placeholder, name: "Merged Duplicate")
            // Delayed by 119 s: inside the 120 s match window, still matched.
            let delayed = try run.change(members[8], name: "Sent Late")
            world.clock.advance(seconds: 119)
            #expect(try await run.post(delayed) == 200)
            // Inside the 60 s settling window before `until`: not judged yet.
            world.clock.advance(seconds: 100)
            _ = try run.change(members[10], name: "Just Now")
            world.clock.advance(seconds: 59)
            let until = world.clock.now

            let applied = try await run.runner.runOnce()
            #expect(applied.rows == 11, "\(applied)")
            var configuration = ShadowComparison.Configuration(since: since, until: until)
            configuration.settleSeconds = 60
            configuration.matchWindowSeconds = 120
            let report = try await ShadowComparison(
                configuration: configuration, database: world.database, recording: run.recording,
                pathA: run.pathA, pathB: run.pathB
            ).run()
            var found: [CoverageFinding.Kind: Set<String>] = [:]
            for finding in report.findings where finding.kind != .matched {
                found[finding.kind, default: []].insert(finding.kennitala)
            }
            #expect(found[.missingWebhook] == [members[5].ssn, members[6].ssn])
            #expect(found[.duplicateDelivery] == [members[7].ssn])
            #expect(found[.webhookWithoutRow] == [members[9].ssn])
            #expect(found[.skippedPlaceholder] == [placeholder.ssn])
            #expect(found[.inFlight] == [members[10].ssn])
            #expect(found[.rejected] == [members[5].ssn])
            #expect(found.count == 6)
            #expect(report.counts[.matched] == 7, "five sent, one of the duplicate pair, one delayed")
            let late = report.findings.first { $0.kind == .matched && $0.kennitala == members[8].ssn }
            #expect(late?.detail == "delivered 119 s after the change")
            // Content: the members whose change reached one side only.
            #expect(
                Set(report.contentDifferences.map(\.kennitala)) == [members[5].ssn, members[6].ssn, members[9].ssn])
            #expect(report.unsettledMembers == 1)
            #expect(!report.passes && report.exitCode == 11)
        }
    }

    /// The windows' edges, to the second: a delivery 120 s after its row matches, 121 s does not; a
    /// row exactly `settle` seconds before `until` is judged, one a second later is in flight.
    @Test func theMatchAndSettlingWindowsAreExactToTheSecond() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory, members: 60, queueRows: 200)
            let run = try DualRun(world)
            _ = try await run.runner.runOnce()
            let since = world.clock.now
            let (members, _) = try members(world)
            world.clock.advance(seconds: 1)
            let onTime = try run.change(members[0], name: "On Time")
            let tooLate = try run.change(members[1], name: "Too Late")
            world.clock.advance(seconds: 120)
            #expect(try await run.post(onTime) == 200)
            world.clock.advance(seconds: 1)
            #expect(try await run.post(tooLate) == 200)
            world.clock.advance(seconds: 400)
            _ = try run.change(members[2], name: "Judged")
            world.clock.advance(seconds: 1)
            _ = try run.change(members[3], name: "Settling")
            world.clock.advance(seconds: 59)

            var configuration = ShadowComparison.Configuration(since: since, until: world.clock.now)
            configuration.settleSeconds = 60
            configuration.matchWindowSeconds = 120
            let report = try await ShadowComparison(
                configuration: configuration, database: world.database, recording: run.recording,
                pathA: run.pathA, pathB: run.pathB
            ).run()
            let kinds = Dictionary(grouping: report.findings, by: \.kennitala).mapValues { $0.map(\.kind).sorted() }
            #expect(kinds[members[0].ssn] == [.matched])
            #expect(kinds[members[1].ssn] == [.missingWebhook, .webhookWithoutRow])
            #expect(kinds[members[2].ssn] == [.missingWebhook])
            #expect(kinds[members[3].ssn] == [.inFlight])
        }
    }
}
