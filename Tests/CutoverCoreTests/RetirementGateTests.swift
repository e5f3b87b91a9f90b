import BagIt
import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// Retirement's gates in-process, on the whole road (snapshot, parity, drain, archive, restore
/// rehearsal) under a test clock: every gate green, then each one refusing on its own with exit 40;
/// the archive's age judged against the clock to the second; a confirmed retirement renames the
/// table under the clock's date, purges what was archived, and the archive brings the table back.
struct RetirementGateTests {
    static let everyGate: [RetirementGate.Name] = [
        .archiveValid, .archiveFresh, .restoreRehearsed, .drainProof, .parityVerdict, .sourceIdentity, .noRowsAfterMark,
        .quietWindow,
    ]

    /// When the archived snapshot read its data: the age the freshness gate measures from.
    func created(_ archive: ArchiveVerifier.Report) throws -> Timestamp {
        try #require(archive.bagInfo["Cutover-Snapshot-Created"].flatMap(Timestamp.init(parsing:)))
    }

    func failing(_ result: Retirement.Result) -> [RetirementGate.Name] {
        result.gates.filter { !$0.passed }.map(\.name)
    }

    @Test func everyGateGreenThenEachRefusesOnItsOwn() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let archive = try await world.readyToRetire()
            #expect(archive.isValid, "\(archive.problems)")
            world.clock.set(try created(archive).adding(seconds: 3_600))

            let green = try await world.retirement()
            #expect(
                green.gates.map(\.name) == Self.everyGate && green.allGatesPass && green.exitCode == 0,
                "\(green.gates.filter { !$0.passed })")
            #expect(!green.executed && green.retiredName == nil, "not without confirm")
            #expect(try world.database.tableExists(schema: "public", table: world.table.table))
            #expect(
                green.gates.first { $0.name == .archiveFresh }?.detail == "its data was read 1 h 0 min ago (limit 24 h)"
            )

            // Fresh up to the limit itself; one second more and only that gate refuses.
            world.clock.set(try created(archive).adding(seconds: 86_400))
            #expect(try await world.retirement().allGatesPass)
            world.clock.advance(seconds: 1)
            let stale = try await world.retirement()
            #expect(failing(stale) == [.archiveFresh] && stale.exitCode == ExitCode.retireRefused.code)
            world.clock.set(try created(archive).adding(seconds: 3_600))

            // The archive no longer matches its sidecar digest.
            let sidecar = world.archivePath + ".sha256"
            let digest = try String(contentsOfFile: sidecar, encoding: .utf8)
            try (String(repeating: "0", count: 64) + "  archive.tar.gz\n").write(
                toFile: sidecar, atomically: true, encoding: .utf8)
            #expect(failing(try await world.retirement()) == [.archiveValid])
            try digest.write(toFile: sidecar, atomically: true, encoding: .utf8)

            // No restore rehearsal of this archive.
            let unrehearsed = try await world.retirement { $0.rehearsalPath = "\(directory)/nowhere/restore.json" }
            #expect(failing(unrehearsed) == [.restoreRehearsed])

            // A parity report whose verdict is fail.
            let parity = try String(contentsOfFile: world.parityReportPath, encoding: .utf8)
            let failingParity = parity.replacingOccurrences(of: #""verdict": "accepted""#, with: #""verdict": "fail""#)
                .replacingOccurrences(of: #""verdict": "pass""#, with: #""verdict": "fail""#)
            #expect(failingParity != parity)
            try failingParity.write(toFile: "\(directory)/failing-parity.json", atomically: true, encoding: .utf8)
            let refusedParity = try await world.retirement { $0.parityReportPath = "\(directory)/failing-parity.json" }
            #expect(failing(refusedParity) == [.parityVerdict])
            #expect(refusedParity.gates.first { $0.name == .parityVerdict }?.detail == "the parity verdict is fail")

            // A row below the mark back to pending: the drain's proof no longer holds.
            let lowest = try #require(try world.rows().keys.min())
            try world.database.execute(
                "UPDATE membership_membersyncqueue SET sync_status = 'pending' WHERE id = \(lowest)")
            #expect(failing(try await world.retirement()) == [.drainProof])
            try world.database.execute(
                "UPDATE membership_membersyncqueue SET sync_status = 'synced' WHERE id = \(lowest)")

            // A row written after the mark: the writers were not stopped.
            let mark = try #require(try world.rows().keys.max())
            try world.database.execute(
                """
                INSERT INTO membership_membersyncqueue (id, member_id, ssn, action, fields_changed, created_at,
                    synced_at, sync_status, error_message, retry_count)
                VALUES (\(mark + 1), NULL, '0101702389', 'update', '{}', '2025-11-25 12:30:00+00',
                    '2025-11-25 12:30:00+00', 'synced', '', 0)
                """)
            let written = try await world.retirement()
            #expect(failing(written) == [.noRowsAfterMark])
            #expect(written.gates.first { $0.name == .noRowsAfterMark }?.detail == "1 rows written after mark \(mark)")
            try world.database.execute("DELETE FROM membership_membersyncqueue WHERE id = \(mark + 1)")

            // Purging Firestore needs a store to purge.
            let purge = try await world.retirement { $0.purgeFirestore = true }
            #expect(failing(purge) == [.firestoreArchived])
            #expect(try await world.retirement().allGatesPass, "every change above was put back")
        }
    }

    /// Confirmed: the table is renamed under the clock's date, the archived collections purged, and a
    /// restore from the archive brings the table back row for row.
    @Test func aConfirmedRetirementRenamesUnderTheClocksDateAndTheArchiveBringsItBack() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory, members: 120, queueRows: 500)
            let archive = try await world.readyToRetire()
            world.clock.set(try created(archive).adding(seconds: 600))
            let rows = try world.rows()
            let syncQueue = try await world.store.count(collection: "sync_queue")
            let syncLogs = try await world.store.count(collection: "sync_logs")

            let retired = try await world.retirement(
                {
                    $0.confirm = true
                    $0.purgeFirestore = true
                }, store: world.store)
            let expectedName = "membership_membersyncqueue_retired_" + world.clock.now.dateString.filter { $0 != "-" }
            #expect(retired.executed && retired.retiredName == expectedName)
            #expect(
                retired.statements.last == "ALTER TABLE \"membership_membersyncqueue\" RENAME TO \"\(expectedName)\"")
            #expect(try !world.database.tableExists(schema: "public", table: "membership_membersyncqueue"))
            #expect(try world.count("SELECT count(*) FROM \(expectedName)") == rows.count)
            #expect(
                retired.purged == ["sync_queue": syncQueue, "sync_logs": syncLogs] && syncQueue > 0 && syncLogs > 0)
            #expect(try await world.store.count(collection: "sync_queue") == 0)
            #expect(try await world.store.count(collection: "sync_logs") == 0)
            #expect(retired.rollbackCommand.hasPrefix("cutover restore --archive '\(world.archivePath)' --into "))

            // The rollback: the queue table comes back from the archive with every row as it was retired.
            let restored = try Restorer.fromArchive(
                world.archivePath, options: .init(snapshotPath: ""), into: world.database)
            #expect(restored.rows == rows.count)
            #expect(try world.rows() == rows)
        }
    }
}
