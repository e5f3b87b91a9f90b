import CutoverCore
import Firestore
import Foundation
import SQLite
import TestSupport
import Testing

/// The drain's other modes on the embedded default: `--via queue` (Path A's exact semantics, a faithful
/// last nightly run) and `--reverse report` (portal edits listed, not applied).
struct CLIDrainModesTests {
    @Test func viaQueueAppliesPathASemanticsAndReverseReportOnlyLists() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            #expect(
                try await run([
                    "demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "2000", "--queue-rows", "6000",
                ])
                .exitCode == 0)
            let store = try DocumentStoreOpener.open("embedded:\(directory)/legacy-firestore.sqlite")
            let pendingEdits = try await store.runQuery(
                StructuredQuery(
                    collectionID: "sync_queue", filter: .field(FieldPath(["sync_status"]), .equal, "pending")),
                parent: ""
            ).count

            let drain = [
                "drain", "--source", "sqlite:legacy.sqlite", "--target", "embedded:legacy-firestore.sqlite",
                "--via", "queue", "--include-failed", "--reverse", "report", "--attempts", "1", "--json",
            ]
            func outcomes(_ stdout: String) throws -> [Int: String] {
                try DecodedOutput.result(DrainJSON.self, from: stdout).outcomes.mapValues(\.outcome)
            }
            func fingerprint() throws -> [String] {
                let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
                let documents = try SQLiteDatabase(path: "\(directory)/legacy-firestore.sqlite", mode: .readOnly)
                return [
                    try legacy.query(
                        "SELECT group_concat(id || sync_status || retry_count, ',') FROM membership_membersyncqueue"
                    ).first?[0].textValue ?? "",
                    try documents.query("SELECT group_concat(path || update_time, ',') FROM documents").first?[0]
                        .textValue ?? "",
                ]
            }
            // The dry run plans every row the way the run settles it (Path A pulled into a copy of each
            // member's document), and writes nothing.
            let untouched = try fingerprint()
            let planned = try await run(drain + ["--dry-run"])
            #expect(planned.exitCode == 20, "\(planned.stderr)")
            #expect(try fingerprint() == untouched)

            let drained = try await run(drain)
            #expect(try outcomes(planned.stdout) == outcomes(drained.stdout))
            // Path A's own failures (an enum out of range on create) are dead letters: exit 20.
            #expect(drained.exitCode == 20, "\(drained.stderr)")
            let report = try DecodedOutput.result(DrainJSON.self, from: drained.stdout)
            let rows = report.rows
            #expect(rows.contains { $0.outcome == "applied" && $0.detail.contains("nightly run") })
            #expect(rows.contains { $0.outcome == "dead" && $0.detail.contains("invalid gender value 7") })
            #expect(rows.contains { $0.outcome == "orphan" })
            // Reverse queue in report mode: listed, nothing applied, the documents still pending.
            #expect(report.reverseQueue.mode == "report" && report.reverseQueue.applied == 0)
            #expect(report.reverseQueue.listed > 0)
            let stillPending = try await store.runQuery(
                StructuredQuery(
                    collectionID: "sync_queue", filter: .field(FieldPath(["sync_status"]), .equal, "pending")),
                parent: ""
            ).count
            #expect(stillPending == pendingEdits)

            // A row applied the nightly run's way: a field-path patch with Path A's stamps, not Path B's shape.
            let applied = try #require(rows.first { $0.outcome == "applied" && $0.action == "update" })
            let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
            let ssn = try #require(
                try legacy.query(
                    "SELECT replace(ssn, '-', '') FROM membership_membersyncqueue WHERE id = \(applied.row)"
                )
                .first?[0].textValue)
            let document = try #require(try await store.getDocument("members/\(ssn)"))
            #expect(document.value(at: FieldPath(["metadata", "last_modified"])) != nil)
            let status = try legacy.query(
                "SELECT sync_status FROM membership_membersyncqueue WHERE id = \(applied.row)")
            #expect(status.first?[0].textValue == "synced")
        }
    }
}
