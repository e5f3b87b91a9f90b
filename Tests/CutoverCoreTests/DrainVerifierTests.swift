import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync
import TestSupport
import Testing

/// `DrainVerifier` in-process: after a drain the proof holds and every register member's document
/// reconciles; each way the proof or the reconciliation can break is found and named.
struct DrainVerifierTests {
    @Test func afterTheDrainTheProofHoldsAndEveryMemberReconciles() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let drained = try await world.drain()
            let report = try await world.verify()
            #expect(report.passes && report.exitCode == 0, "\(report.failures)")
            #expect(
                report.proof.drainID == drained.drainID && report.proof.mark == drained.mark
                    && report.proof.drainFinished)
            #expect(
                report.proof.unresolved.isEmpty && report.proof.deadLetters.isEmpty && report.proof.rowsAboveMark == 0)
            #expect(report.proof.classified.filter { $0.value > 0 } == drained.counts.filter { $0.value > 0 })
            let reconciliation = report.reconciliation
            #expect(reconciliation.members == world.seeded.members)
            #expect(reconciliation.matching + reconciliation.placeholders == reconciliation.members)
            #expect(reconciliation.placeholders == world.seeded.placeholderMembers)
        }
    }

    @Test func withoutADrainThereIsNothingToProve() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory, members: 60, queueRows: 200)
            let report = try await world.verify()
            #expect(!report.passes && report.exitCode == ExitCode.verifyFailed.code)
            #expect(report.proof.problem == "no drain is recorded in the journal: run `cutover drain` first")
            #expect(report.failures.first == report.proof.problem)
        }
    }

    /// A document changed behind the drain's back: the reconciliation names the member and the field.
    @Test func aTamperedDocumentIsNamedWithItsField() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let drained = try await world.drain()
            let applied = try #require(drained.results.first { $0.outcome == .applied && $0.action != .delete })
            _ = try await world.store.commit([
                .update("members/\(applied.kennitala)", [FieldPath(["profile", "name"]): "Someone Else"])
            ])
            let report = try await world.verify()
            #expect(!report.passes && report.proof.passes, "the proof still holds: only the document is wrong")
            #expect(report.reconciliation.counts == [.different: 1])
            let finding = try #require(report.reconciliation.findings.first)
            #expect(
                finding.kind == .different && finding.kennitala == applied.kennitala
                    && finding.paths == ["profile.name"])
            #expect(report.failures == ["1 different documents"])
        }
    }

    /// A row set back to pending below the mark, and one written above it: both break the proof.
    @Test func anUnresolvedRowAndARowAboveTheMarkBreakTheProof() async throws {
        try await withTemporaryDirectory { directory in
            let world = try await CutoverWorld(directory: directory)
            let drained = try await world.drain()
            let lowest = try #require(try world.rows().keys.min())
            try world.database.execute(
                "UPDATE membership_membersyncqueue SET sync_status = 'pending' WHERE id = \(lowest)")
            try world.database.execute(
                """
                INSERT INTO membership_membersyncqueue (id, member_id, ssn, action, fields_changed, created_at,
                    synced_at, sync_status, error_message, retry_count)
                VALUES (\(drained.mark + 1), NULL, '0101702389', 'update', '{}', '2025-11-25 12:30:00+00',
                    NULL, 'pending', '', 0)
                """)
            let report = try await world.verify()
            #expect(report.proof.unresolved == [lowest])
            #expect(report.proof.rowsAboveMark == 1)
            #expect(
                report.failures == [
                    "1 rows at or below the mark are unresolved",
                    "1 rows were written after the mark: writers are still running",
                ])
            #expect(report.reconciliation.passes, "the documents are still right")
        }
    }
}
