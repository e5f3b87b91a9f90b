import Foundation
import SQLite
import TestSupport
import Testing

/// `demo nightly-run --dry-run`: Path A's nightly run against both sides, writing to neither, and
/// saying what the real run then does.
struct CLINightlyRunTests {
    @Test func aDryRunWritesNothingAndPredictsTheRun() async throws {
        try await withTemporaryDirectory { directory in
            #expect(
                try await CutoverBinary.run(
                    ["demo", "seed", "--into", "sqlite:legacy.sqlite", "--members", "400", "--queue-rows", "900"],
                    directory: directory
                ).exitCode == 0)
            func fingerprint() throws -> [String] {
                let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readOnly)
                let documents = try SQLiteDatabase(path: "\(directory)/legacy-firestore.sqlite", mode: .readOnly)
                return [
                    try legacy.query(
                        "SELECT group_concat(id || sync_status || coalesce(synced_at, ''), ',') FROM "
                            + "membership_membersyncqueue"
                    )
                    .first?[0].textValue ?? "",
                    try legacy.query(
                        "SELECT group_concat(coalesce(email, '') || coalesce(phone, ''), ',') FROM "
                            + "membership_contactinfo"
                    )
                    .first?[0].textValue ?? "",
                    try documents.query("SELECT group_concat(path || update_time || fields, ',') FROM documents")
                        .first?[0].textValue ?? "",
                ]
            }
            let run = [
                "demo", "nightly-run", "--source", "sqlite:legacy.sqlite", "--firestore",
                "embedded:legacy-firestore.sqlite", "--json",
            ]
            let before = try fingerprint()
            let planned = try await CutoverBinary.run(run + ["--dry-run"], directory: directory)
            #expect(planned.exitCode == 0, "\(planned.stderr)")
            #expect(try fingerprint() == before, "the dry run wrote nothing")
            let done = try await CutoverBinary.run(run, directory: directory)
            #expect(done.exitCode == 0, "\(done.stderr)")
            #expect(try fingerprint() != before)
            let plan = try DecodedOutput.result(NightlyRunJSON.self, from: planned.stdout)
            let result = try DecodedOutput.result(NightlyRunJSON.self, from: done.stdout)
            #expect(plan.dryRun && !result.dryRun)
            #expect(plan.tally == result.tally, "the dry run predicts every figure")
            #expect(result.tally.rowsFetched > 0 && result.tally.portalEditsApplied > 0)
        }
    }
}
