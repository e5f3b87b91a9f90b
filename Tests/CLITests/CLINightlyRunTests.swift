import Foundation
import SQLite
import TestSupport
import Testing

/// `demo nightly-run --dry-run`: Path A's nightly run against both sides, writing to neither, and
/// saying what the real run then does.
struct CLINightlyRunTests {
    @Test func aDryRunWritesNothingAndPredictsTheRun() throws {
        try withTemporaryDirectory { directory in
            #expect(try CutoverBinary.run(["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "400", "--queue-rows", "900"],
                                          directory: directory).exitCode == 0)
            func fingerprint() throws -> [String] {
                let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
                let documents = try SQLiteDatabase(path: "\(directory)/legacy-firestore.sqlite", mode: .readOnly)
                return [
                    try legacy.query("SELECT group_concat(id || sync_status || coalesce(synced_at, ''), ',') FROM membership_membersyncqueue")
                        .first?[0].textValue ?? "",
                    try legacy.query("SELECT group_concat(coalesce(email, '') || coalesce(phone, ''), ',') FROM membership_contactinfo")
                        .first?[0].textValue ?? "",
                    try documents.query("SELECT group_concat(path || update_time || fields, ',') FROM documents").first?[0].textValue ?? "",
                ]
            }
            let run = ["demo", "nightly-run", "--source", "sqlite:legacy.sqlite", "--firestore", "embedded:legacy-firestore.sqlite", "--json"]
            let before = try fingerprint()
            let planned = try CutoverBinary.run(run + ["--dry-run"], directory: directory)
            #expect(planned.exitCode == 0, "\(planned.stderr)")
            #expect(try fingerprint() == before, "the dry run wrote nothing")
            let done = try CutoverBinary.run(run, directory: directory)
            #expect(done.exitCode == 0, "\(done.stderr)")
            #expect(try fingerprint() != before)
            let plan = try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any] ?? [:]
            let result = try JSONSerialization.jsonObject(with: Data(done.stdout.utf8)) as? [String: Any] ?? [:]
            #expect(plan["dry_run"] as? Bool == true && result["dry_run"] as? Bool == false)
            for key in ["since", "rows_fetched", "succeeded", "failed", "marked_synced", "portal_edits_applied", "portal_edits_failed"] {
                #expect("\(plan[key] ?? "none")" == "\(result[key] ?? "none")", "\(key)")
            }
            #expect((result["rows_fetched"] as? Int ?? 0) > 0 && (result["portal_edits_applied"] as? Int ?? 0) > 0)
        }
    }
}
