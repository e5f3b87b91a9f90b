import CutoverSupport
import Foundation
import Postgres
import TestSupport
import Testing

/// `cutover retire` on PostgreSQL: each gate failing on its own, retirement with every gate green,
/// and the rollback from the archive, after which the old nightly run works again.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIRetireTests {
    /// Gate → passed, from `retire --json`; empty (and a recorded issue) when the output is not that JSON.
    func gates(_ outcome: CutoverBinary.Outcome, sourceLocation: SourceLocation = #_sourceLocation) -> [String: Bool] {
        do {
            return try DecodedOutput.result(RetireJSON.self, from: outcome.stdout).passed
        } catch {
            Issue.record(
                "not retire's JSON (\(error)): \(outcome.stdout)\(outcome.stderr)",
                sourceLocation: sourceLocation)
            return [:]
        }
    }

    @Test func everyGateRefusesOnItsOwnThenRetirementAndRollback() async throws {
        try await withTemporaryDirectory { directory in
            let world = DemoWorld(members: 300, queueRows: 1_500)
            try await world.withCopiedDatabase(store: .at("firestore.sqlite"), in: directory) { url in
                func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                    try await CutoverBinary.run(arguments, directory: directory)
                }
                let store = "embedded:\(directory)/firestore.sqlite"
                #expect(
                    try await run(["snapshot", "--source", url, "--firestore", store, "--out", "before.sqlite"])
                        .exitCode == 0
                )
                #expect([0, 10].contains(try await run(["parity", "replay", "--snapshot", "before.sqlite"]).exitCode))
                #expect(try await run(["drain", "--source", url, "--target", store, "--include-failed"]).exitCode == 0)
                #expect(
                    try await run(["snapshot", "--source", url, "--firestore", store, "--out", "after.sqlite"]).exitCode
                        == 0)
                // The archive's age counts from when its snapshot was taken: dated two hours back here, so a
                // one-hour limit finds it too old and the 24-hour default does not, with no waiting (the test
                // slept 1.2 s past a zero-hour limit before). Only the manifest's date moves; the rows and
                // their hashes are as read.
                let taken = Timestamp.now.adding(seconds: -7_200).iso8601
                try SQLiteTamper(path: "\(directory)/after.sqlite")
                    .run("UPDATE snapshot_manifest SET value = '\(taken)' WHERE key = 'created_at'")
                #expect(
                    try await run([
                        "archive", "create", "--snapshot", "after.sqlite", "--reports", "cutover-out/parity", "--out",
                        "a.tar.gz",
                    ]).exitCode == 0)
                let rehearsal = try await run([
                    "restore", "--archive", "a.tar.gz", "--into", url, "--schema", "cutover_rehearsal",
                ])
                #expect(rehearsal.exitCode == 0, "\(rehearsal.stderr)")

                let retire = ["retire", "--source", url, "--archive", "a.tar.gz", "--json"]
                let green = try await run(retire)
                #expect(green.exitCode == 0, "\(green.stdout)")
                #expect(gates(green).values.allSatisfy { $0 } && gates(green).count == 8)
                #expect(green.stdout.contains("ALTER TABLE"))

                func expectOnly(
                    _ gate: String..., extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
                ) async throws {
                    let outcome = try await run(retire + extra)
                    #expect(outcome.exitCode == 40, sourceLocation: sourceLocation)
                    let failing = gates(outcome).filter { !$0.value }.map(\.key).sorted()
                    #expect(failing == gate.sorted(), "\(outcome.stdout)", sourceLocation: sourceLocation)
                }
                // The archive no longer matches its sidecar digest.
                try FileManager.default.copyItem(
                    atPath: "\(directory)/a.tar.gz.sha256", toPath: "\(directory)/sidecar.keep")
                try String(repeating: "0", count: 64).appending("  a.tar.gz\n").write(
                    toFile: "\(directory)/a.tar.gz.sha256", atomically: true, encoding: .utf8)
                try await expectOnly("archive-valid")
                try FileManager.default.removeItem(atPath: "\(directory)/a.tar.gz.sha256")
                try FileManager.default.moveItem(
                    atPath: "\(directory)/sidecar.keep", toPath: "\(directory)/a.tar.gz.sha256")
                // Too old: read two hours ago, against a one-hour limit.
                try await expectOnly("archive-fresh", extra: ["--max-age-hours", "1"])
                // No rehearsal of this archive.
                try await expectOnly("restore-rehearsed", extra: ["--rehearsal", "nowhere/restore.json"])
                // A parity report that fails.
                let parity = try String(contentsOfFile: "\(directory)/cutover-out/parity/parity.json", encoding: .utf8)
                try parity.replacingOccurrences(of: "\"verdict\": \"accepted\"", with: "\"verdict\": \"fail\"")
                    .replacingOccurrences(of: "\"verdict\": \"pass\"", with: "\"verdict\": \"fail\"")
                    .write(toFile: "\(directory)/failing-parity.json", atomically: true, encoding: .utf8)
                try await expectOnly("parity-verdict", extra: ["--parity", "failing-parity.json"])
                // A row below the mark set back to pending: the drain's proof no longer holds.
                let connection = try PostgresConnection(url)
                let row = try #require(
                    try connection.query("SELECT min(id) FROM membership_membersyncqueue").value(0, 0))
                try connection.execute(
                    "UPDATE membership_membersyncqueue SET sync_status = 'pending' WHERE id = \(row)")
                try await expectOnly("drain-proof")
                try connection.execute("UPDATE membership_membersyncqueue SET sync_status = 'synced' WHERE id = \(row)")
                // A row written after the mark, just now: writers were not stopped, and the quiet window has not begun.
                try connection.execute(
                    """
                    INSERT INTO membership_membersyncqueue (member_id, ssn, action, fields_changed, created_at, \
                    synced_at, sync_status,
                        error_message, retry_count) VALUES (NULL, '0101702389', 'update', '{}', now(), now(), \
                        'synced', '', 0)
                    """)
                try await expectOnly("no-rows-after-mark", "quiet-window")
                try connection.execute(
                    "DELETE FROM membership_membersyncqueue WHERE id > (SELECT mark FROM (SELECT \(row)::bigint AS "
                        + "mark) m) AND created_at > now() - interval '1 hour'"
                )
                // Purging Firestore needs a store to purge.
                let purge = try await run(retire + ["--purge-firestore"])
                #expect(gates(purge)["firestore-archived"] == false && purge.exitCode == 40)

                // Every gate green, confirmed: the table is renamed, in one transaction, with its sequence and indexes.
                let retired = try await run([
                    "retire", "--source", url, "--archive", "a.tar.gz", "--confirm", "--purge-firestore", "--target",
                    store,
                ])
                #expect(retired.exitCode == 0, "\(retired.stdout)\(retired.stderr)")
                let retiredName = try #require(
                    try connection.query(
                        "SELECT relname FROM pg_class WHERE relname LIKE 'membership_membersyncqueue_retired_%' AND "
                            + "relkind = 'r'"
                    ).value(0, 0))
                #expect(
                    try connection.query("SELECT to_regclass('public.membership_membersyncqueue') IS NULL").value(0, 0)
                        == "t")
                #expect(retired.stdout.contains("rollback: cutover restore --archive 'a.tar.gz'"))

                // Rollback: the table comes back identical to what was retired, and the nightly run works on it.
                let rollback = try await run(["restore", "--archive", "a.tar.gz", "--into", url, "--firestore", store])
                #expect(rollback.exitCode == 0, "\(rollback.stderr)")
                #expect(rollback.stdout.contains("content hash matches the snapshot"))
                let difference = try connection.query(
                    """
                    SELECT count(*) FROM ((SELECT * FROM membership_membersyncqueue EXCEPT SELECT * FROM \(retiredName))
                    UNION ALL (SELECT * FROM \(retiredName) EXCEPT SELECT * FROM membership_membersyncqueue)) d
                    """
                ).value(0, 0)
                #expect(difference == "0")
                // Every renamed index keeps the whole date suffix within PostgreSQL's 63 bytes.
                let suffix = String(retiredName.dropFirst("membership_membersyncqueue".count))
                let renamedIndexes = try connection.query(
                    "SELECT indexname FROM pg_indexes WHERE tablename = '\(retiredName)'"
                ).rows.compactMap { $0[0] }
                #expect(
                    !renamedIndexes.isEmpty
                        && renamedIndexes.allSatisfy { $0.hasSuffix(suffix) && $0.utf8.count <= 63 },
                    "\(renamedIndexes)")
                // Retiring again while an earlier retired copy holds the names is refused before anything runs.
                try connection.execute(
                    "ALTER TABLE \(retiredName) RENAME TO membership_membersyncqueue_retired_20200101")
                let again = try await run(["retire", "--source", url, "--archive", "a.tar.gz", "--confirm"])
                #expect(again.exitCode == 6, "\(again.stdout)\(again.stderr)")
                #expect(
                    again.stderr.contains("already exists in schema public")
                        && again.stderr.contains("earlier retired copy holds it"), "\(again.stderr)")
                #expect(
                    try connection.query("SELECT to_regclass('public.membership_membersyncqueue') IS NOT NULL").value(
                        0, 0) == "t")
                try connection.execute(
                    "ALTER TABLE membership_membersyncqueue_retired_20200101 RENAME TO \(retiredName)")
                try connection.execute(
                    """
                    INSERT INTO membership_membersyncqueue (member_id, ssn, action, fields_changed, created_at, \
                    synced_at, sync_status,
                        error_message, retry_count)
                    SELECT member_id, ssn, 'update', '{"name": "Nýtt Nafn"}', now(), NULL, 'pending', '', 0
                    FROM membership_membersyncqueue WHERE action = 'update' AND member_id IS NOT NULL LIMIT 1
                    """)
                let planned = try await run(["demo", "nightly-run", "--source", url, "--firestore", store, "--dry-run"])
                #expect(planned.exitCode == 0, "\(planned.stderr)")
                #expect(
                    planned.stdout.contains("(dry run, nothing written)")
                        && planned.stdout.contains("1 rows fetched, 1 succeeded"))
                #expect(
                    try connection.query(
                        "SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'pending'"
                    ).value(0, 0) == "1")
                let nightly = try await run(["demo", "nightly-run", "--source", url, "--firestore", store])
                #expect(nightly.exitCode == 0, "\(nightly.stderr)")
                #expect(nightly.stdout.contains("1 rows fetched, 1 succeeded"), "\(nightly.stdout)")
                #expect(
                    try connection.query(
                        "SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'pending'"
                    ).value(0, 0) == "0")
            }
        }
    }

    /// `rehearse --source --target` on a served store: the whole road, retire and rollback included, runs
    /// on copies; the source's table is neither retired nor drained.
    @Test func rehearseOnNamedSystemsRetiresOnlyItsCopies() async throws {
        try await withTemporaryDirectory { directory in
            // The world's store served as it is: the documents a seed through the server writes.
            let world = DemoWorld(members: 200, queueRows: 800)
            try await world.withCopiedDatabase(store: .at("firestore.sqlite"), in: directory) { url in
                let server = try ServedProcess.firestore(data: "\(directory)/firestore.sqlite")
                defer { server.stop() }
                let connection = try PostgresConnection(url)
                let pending = "SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'pending'"
                let pendingBefore = try connection.query(pending).value(0, 0)
                let rehearsal = try await CutoverBinary.run(
                    ["rehearse", "--source", url, "--target", server.url, "--json"], directory: directory)
                #expect(rehearsal.exitCode == 0, "\(rehearsal.stdout)\(rehearsal.stderr)")
                let steps = try DecodedOutput.result(RehearseJSON.self, from: rehearsal.stdout).steps.map(\.step)
                #expect(
                    steps == [
                        "snapshot source", "copy", "status", "snapshot", "parity replay", "drain", "verify", "archive",
                        "restore rehearsal", "retire", "rollback", "verify after rollback",
                    ])
                #expect(
                    try connection.query("SELECT to_regclass('public.membership_membersyncqueue') IS NOT NULL").value(
                        0, 0) == "t",
                    "the source's table is not retired")
                #expect(
                    try connection.query(pending).value(0, 0) == pendingBefore && pendingBefore != "0",
                    "the source is not drained")
            }
        }
    }
}
