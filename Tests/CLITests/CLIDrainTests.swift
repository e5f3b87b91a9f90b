import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import Postgres
import TestSupport
import Testing

/// `cutover drain` and `cutover verify` against PostgreSQL and the local Firestore server, through
/// the binary: outcomes, verification, tampering, faults and bad rows.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIDrainTests {
    static let lastSuccessfulRun = "2025-11-24 03:30:07.412+00"

    /// Runs `body` with the URL of a database holding the demo world (a copy of the one seeded for the run),
    /// its store copied to `served.sqlite` in `directory` for `firestore serve --data` to serve: the documents
    /// a seed through that server writes, without the server's share of the seed's CPU.
    func withSeededWorld(
        members: Int = 600, rows: Int = 4_000, flavour: String = "django", directory: String,
        _ body: (String) async throws -> Void
    ) async throws {
        try await DemoWorld(members: members, queueRows: rows, flavour: flavour).withCopiedDatabase(
            store: .at("served.sqlite"), in: directory, body)
    }

    func json(_ text: String) throws -> DrainJSON { try DecodedOutput.result(DrainJSON.self, from: text) }

    func outcomes(_ report: DrainJSON) -> [Int: (outcome: String, detail: String)] { report.outcomes }

    @Test func drainResolvesEveryRowAndVerifyPassesUntilADocumentIsTampered() async throws {
        try await withTemporaryDirectory { directory in
            try await withSeededWorld(directory: directory) { url in
                let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
                defer { server.stop() }
                let connection = try PostgresConnection(url)
                let table = "membership_membersyncqueue"
                let stranded = try connection.query(
                    "SELECT id FROM \(table) WHERE sync_status = 'pending' AND created_at <= "
                        + "'\(Self.lastSuccessfulRun)'"
                ).rows.compactMap { Int($0[0] ?? "") }
                let orphan = try #require(
                    Int(
                        try connection.query(
                            "SELECT id FROM \(table) WHERE ssn = '0103097930' AND action = 'delete'"
                        ).value(0, 0) ?? ""))
                #expect(!stranded.isEmpty)

                // The dry run plans and writes nothing.
                let before = try connection.query("SELECT count(*) FROM \(table) WHERE sync_status = 'synced'").value(
                    0, 0)
                let plan = try await CutoverBinary.run(
                    ["drain", "--source", url, "--target", server.url, "--include-failed", "--dry-run"],
                    directory: directory)
                #expect(plan.exitCode == 0, "\(plan.stderr)")
                #expect(plan.stdout.contains("row \(orphan) delete 010309-****: orphan"))
                #expect(
                    try connection.query("SELECT count(*) FROM \(table) WHERE sync_status = 'synced'").value(0, 0)
                        == before)
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain-journal.sqlite"))

                let store = try DocumentStoreOpener.open(server.url)
                let drained = try await CutoverBinary.run(
                    ["drain", "--source", url, "--target", server.url, "--include-failed", "--json"],
                    directory: directory)
                #expect(drained.exitCode == 0, "\(drained.stderr)")
                // --json's envelope holds the very bytes of drain.json as its result.
                #expect(
                    drained.stdout.contains(
                        try String(contentsOfFile: "\(directory)/cutover-out/drain/drain.json", encoding: .utf8)))
                let report = try json(drained.stdout)
                let rows = outcomes(report)
                #expect(rows[orphan]?.outcome == "orphan")
                #expect(stranded.contains { rows[$0]?.outcome == "applied" }, "a stranded row is applied")
                // A row older than its document is superseded, and its document was not written by the drain.
                let superseded = try #require(
                    rows.first { $0.value.outcome == "superseded" && $0.value.detail.contains("was written at") })
                let ssn = try #require(
                    try connection.query("SELECT ssn FROM \(table) WHERE id = \(superseded.key)").value(0, 0))
                let memberRows = rows.filter { entry in
                    (try? connection.query("SELECT ssn FROM \(table) WHERE id = \(entry.key)").value(0, 0)) == ssn
                }
                if memberRows.allSatisfy({ $0.value.outcome == "superseded" }) {
                    let document = try await store.getDocument("members/\(ssn)")
                    #expect(
                        document?.value(at: FieldPath(["metadata", "synced_at"])).map { "\($0)" }?.contains("2026")
                            != true)
                }
                #expect(
                    try connection.query("SELECT count(*) FROM \(table) WHERE sync_status <> 'synced'").value(0, 0)
                        == "0")

                let verified = try await CutoverBinary.run(
                    ["verify", "--source", url, "--target", server.url], directory: directory)
                #expect(verified.exitCode == 0, "\(verified.stdout)\(verified.stderr)")
                #expect(verified.stdout.contains("verify: PASS"))

                // Tamper with a drained member's document: verify fails and names it.
                let applied = try #require(rows.first { $0.value.outcome == "applied" }?.key)
                let victim = try #require(
                    try connection.query("SELECT replace(ssn, '-', '') FROM \(table) WHERE id = \(applied)").value(0, 0)
                )
                _ = try await store.commit([
                    .update("members/\(victim)", [FieldPath(["profile", "name"]): "Someone Else"])
                ])
                let failed = try await CutoverBinary.run(
                    ["verify", "--source", url, "--target", server.url, "--json"], directory: directory)
                #expect(failed.exitCode == 30)
                let findings = try DecodedOutput.result(VerifyJSON.self, from: failed.stdout).reconciliation.findings
                #expect(
                    findings.contains {
                        $0.member.hasPrefix("\(victim.prefix(6))-**** ") && $0.paths.contains("profile.name")
                    },
                    "\(findings)")
                #expect(!failed.stdout.contains(victim))
            }
        }
    }

    @Test func drainSurvivesAFlakyTargetAndStopsCleanlyWhenItIsDown() async throws {
        try await withTemporaryDirectory { directory in
            try await withSeededWorld(members: 300, rows: 2_000, directory: directory) { url in
                let data = "\(directory)/served.sqlite"
                let connection = try PostgresConnection(url)
                let table = "membership_membersyncqueue"
                func snapshot() throws -> [[String?]] {
                    try connection.query(
                        "SELECT id, ssn, action, fields_changed::text, created_at, synced_at, sync_status FROM "
                            + "\(table) ORDER BY id"
                    ).rows
                }

                // Every request failing: the drain stops; no row was tried, so none is dead and none changed.
                let down = try ServedProcess.firestore(data: data, extraArguments: ["--fail-rate", "503=1.0"])
                let rowsBefore = try snapshot()
                func bookkeeping() throws -> [[String?]] {
                    try connection.query("SELECT id, error_message, retry_count FROM \(table) ORDER BY id").rows
                }
                let bookkeepingBefore = try bookkeeping()
                let stopped = try await CutoverBinary.run(
                    [
                        "drain", "--source", url, "--target", down.url, "--backoff", "0.01", "--attempts", "2",
                        "--batch-size", "20", "--json",
                    ], directory: directory)
                #expect(stopped.exitCode == 21, "\(stopped.stdout)\(stopped.stderr)")
                #expect(try json(stopped.stdout).stoppedEarly?.contains("batches in a row failed") == true)
                // A queue that fits one batch never meets "two batches in a row": the target is down all the same.
                let oneBatch = try await CutoverBinary.run(
                    [
                        "drain", "--source", url, "--target", down.url, "--backoff", "0.01", "--attempts", "2",
                        "--batch-size", "1000", "--json",
                    ], directory: directory)
                down.stop()
                #expect(oneBatch.exitCode == 21, "\(oneBatch.stdout)\(oneBatch.stderr)")
                #expect(try json(oneBatch.stdout).stoppedEarly?.contains("could not be read") == true)
                let reverse = try json(oneBatch.stdout).reverseQueue
                #expect(reverse.mode == "apply" && reverse.error != nil, "\(oneBatch.stdout)")
                #expect(try snapshot() == rowsBefore, "rows the target never saw stay as they were")
                #expect(try bookkeeping() == bookkeepingBefore, "no retry is counted for a row that was never tried")
                #expect(try json(oneBatch.stdout).counts["dead"] == 0)
                #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out/drain/dead-letters.ndjson"))

                // 20% of requests failing with 429/503: the drain (resumed) completes.
                let flaky = try ServedProcess.firestore(
                    data: data, extraArguments: ["--fail-rate", "503=0.1,429=0.1", "--retry-after", "0"])
                defer { flaky.stop() }
                let drained = try await CutoverBinary.run(
                    [
                        "drain", "--source", url, "--target", flaky.url, "--backoff", "0.01", "--attempts", "8",
                        "--max-retries", "100", "--json",
                    ], directory: directory)
                #expect(drained.exitCode == 0, "\(drained.stdout)\(drained.stderr)")
                #expect(
                    try connection.query("SELECT count(*) FROM \(table) WHERE sync_status = 'pending'").value(0, 0)
                        == "0")
            }
        }
    }

    /// A portal edit makes the drain rewrite its member's document before the forward rows are planned,
    /// so that member's older rows are superseded: the dry run must predict that, not "applied".
    @Test func aDryRunPlansWhatTheRunDoesWhereAPortalEditRefreshesTheDocument() async throws {
        try await withTemporaryDirectory { directory in
            try await withSeededWorld(members: 200, rows: 800, directory: directory) { url in
                let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
                defer { server.stop() }
                let connection = try PostgresConnection(url)
                func plan() async throws -> DrainJSON {
                    let run = try await CutoverBinary.run(
                        ["drain", "--source", url, "--target", server.url, "--include-failed", "--dry-run", "--json"],
                        directory: directory)
                    #expect(run.exitCode == 0, "\(run.stderr)")
                    return try json(run.stdout)
                }
                let registered = Set(
                    try connection.query("SELECT ssn FROM membership_comrade").rows.compactMap { $0[0] })
                let updates = try connection.query(
                    "SELECT id, ssn FROM membership_membersyncqueue WHERE sync_status = 'pending' AND action = "
                        + "'update' ORDER BY id"
                ).rows.compactMap { row in Int(row[0] ?? "").map { ($0, row[1] ?? "") } }
                let before = outcomes(try await plan())
                let (rowID, ssn) = try #require(
                    updates.first { before[$0.0]?.outcome == "applied" && registered.contains($0.1) })

                let store = try DocumentStoreOpener.open(server.url)
                _ = try await store.commit([
                    .set(
                        "sync_queue/portal-edit",
                        [
                            "source": "firestore", "target": "django", "sync_status": "pending",
                            "kennitala": .string(ssn),
                            "changes": ["profile.email": "portal.edit@example.is"],
                            "created_at": .timestamp(Timestamp(parsing: "2025-11-25T10:00:00Z")!),
                        ])
                ])
                let planning = try await plan()
                let planned = outcomes(planning)
                let drained = try await CutoverBinary.run(
                    ["drain", "--source", url, "--target", server.url, "--include-failed", "--json"],
                    directory: directory)
                #expect(drained.exitCode == 0, "\(drained.stderr)")
                let report = try json(drained.stdout)
                let done = outcomes(report)
                #expect(done[rowID]?.outcome == "superseded", "\(String(describing: done[rowID]))")
                #expect(planned.count == done.count)
                for (id, outcome) in done { #expect(planned[id]?.outcome == outcome.outcome, "row \(id)") }
                let refreshed = report.reverseQueue.refreshedDocuments
                #expect(refreshed >= 1)
                #expect(planning.reverseQueue.refreshedDocuments == refreshed)
            }
        }
    }

    @Test func malformedRowsAreInvalidAndTheRunGoesOn() async throws {
        try await withTemporaryDirectory { directory in
            try await withSeededWorld(members: 200, rows: 800, flavour: "handwritten", directory: directory) { url in
                let server = try ServedProcess.firestore(data: "\(directory)/served.sqlite")
                defer { server.stop() }
                let connection = try PostgresConnection(url)
                let table = "membership_membersyncqueue"
                let pending = try connection.query(
                    "SELECT id FROM \(table) WHERE sync_status = 'pending' ORDER BY id LIMIT 5"
                ).rows.map { $0[0]! }
                try #require(pending.count == 5)
                try connection.execute(
                    """
                    UPDATE \(table) SET action = 'merge' WHERE id = \(pending[0]);
                    UPDATE \(table) SET fields_changed = '[1, 2]' WHERE id = \(pending[1]);
                    UPDATE \(table) SET ssn = 'ABC1234567' WHERE id = \(pending[2]);
                    UPDATE \(table) SET ssn = NULL WHERE id = \(pending[3]);
                    """)
                let store = try DocumentStoreOpener.open(server.url)
                _ = try await store.commit([
                    .set(
                        "sync_queue/no-kennitala",
                        [
                            "source": "firestore", "target": "django", "sync_status": "pending",
                            "changes": ["profile.name": "X"],
                            "created_at": .timestamp(Timestamp(parsing: "2025-11-25T10:00:00Z")!),
                        ])
                ])
                let drained = try await CutoverBinary.run(
                    ["drain", "--source", url, "--target", server.url, "--json"], directory: directory)
                #expect(drained.exitCode == 20, "\(drained.stderr)")
                let report = try json(drained.stdout)
                let rows = outcomes(report)
                #expect(
                    rows[Int(pending[0])!]?.outcome == "invalid"
                        && rows[Int(pending[0])!]?.detail.contains("action") == true)
                #expect(
                    rows[Int(pending[1])!]?.outcome == "invalid"
                        && rows[Int(pending[1])!]?.detail.contains("fields_changed") == true)
                #expect(
                    rows[Int(pending[2])!]?.outcome == "invalid"
                        && rows[Int(pending[2])!]?.detail.contains("ssn") == true)
                #expect(
                    rows[Int(pending[3])!]?.outcome == "invalid"
                        && rows[Int(pending[3])!]?.detail.contains("ssn") == true)
                #expect(
                    rows[Int(pending[4])!].map { ["applied", "superseded", "orphan"].contains($0.outcome) } == true,
                    "the run went on")
                #expect(report.reverseQueue.invalid.first?.problem == "missing kennitala")
                let letters = try String(
                    contentsOfFile: "\(directory)/cutover-out/drain/dead-letters.ndjson", encoding: .utf8)
                for id in pending.prefix(4) { #expect(letters.contains("\"row\":\(id)")) }
                #expect(letters.contains("sync_queue/no-kennitala"))
            }
        }
    }
}
