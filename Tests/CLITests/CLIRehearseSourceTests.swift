import CutoverCore
import CutoverSupport
import Foundation
import Postgres
import SQLite
import TestSupport
import Testing

/// `rehearse --source` works on copies (issue 18, point 3): the source's queue, register and store are
/// the same before and after, whatever the rehearsal does; a failed parity stops it before the drain
/// unless --force, which the ledger records; the summary splits pending rows by the last run it used
/// and states the parity report's own counts.
struct CLIRehearseSourceTests {
    /// A source's content, to compare before and after: for PostgreSQL every table's rows (queue and
    /// register, and any table a rehearsal might have added), for SQLite the file's bytes.
    struct SourceContent {
        let source: String
        let directory: String

        func hash() throws -> String {
            if source.hasPrefix("sqlite:") {
                return try ReadableFile.sha256(ofFile: "\(directory)/\(source.dropFirst("sqlite:".count))")
            }
            let connection = try PostgresConnection(source)
            defer { connection.close() }
            let tables = try connection.query(
                """
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
                """)
            var parts: [String] = []
            for row in 0..<tables.rowCount {
                let name = tables.value(row, 0) ?? ""
                let digest = try connection.query(
                    "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "
                        + "\(name) t"
                )
                parts.append("\(name)=\(digest.value(0, 0) ?? "")")
            }
            return parts.joined(separator: "\n")
        }
    }

    /// Every document of an embedded store, with its create and update time.
    func storeContent(_ path: String) throws -> [[SQLiteValue]] {
        let store = try SQLiteDatabase(path: path, mode: .readOnly)
        defer { store.close() }
        return try store.query("SELECT path, fields, create_time, update_time FROM documents ORDER BY path")
    }

    func pending(_ source: String, _ directory: String) async throws -> Int {
        let outcome = try await CutoverBinary.run(["status", "--source", source, "--json"], directory: directory)
        let json = try DecodedOutput.resultObject(outcome.stdout)
        return (json?["pending"] as? [String: Any])?["total"] as? Int ?? -1
    }

    func steps(_ outcome: CutoverBinary.Outcome) throws -> RehearseJSON {
        try DecodedOutput.result(RehearseJSON.self, from: outcome.stdout)
    }

    /// The whole road on copies of `source`: GO, the source untouched; then a parity FAIL stops before the
    /// drain, and --force goes on, recorded — the source untouched throughout. `source` holds `Self.world`,
    /// and `fs.sqlite` in `directory` its store.
    func rehearsesOnCopies(source: String, directory: String) async throws {
        func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
            try await CutoverBinary.run(arguments, directory: directory)
        }
        let store = "embedded:fs.sqlite"
        let content = SourceContent(source: source, directory: directory)
        let pendingBefore = try await pending(source, directory)
        #expect(pendingBefore > 0, "the demo leaves rows pending")
        var (sourceHash, documents) = (try content.hash(), try storeContent("\(directory)/fs.sqlite"))
        #expect(!documents.isEmpty)

        let rehearsal = try await run(["rehearse", "--source", source, "--target", store, "--out", "go", "--json"])
        #expect(rehearsal.exitCode == 0, "\(rehearsal.stdout)\(rehearsal.stderr)")
        let road = try steps(rehearsal)
        #expect(road.go && road.stopped == nil && road.forced.isEmpty)
        #expect(
            road.steps.map(\.step) == [
                "snapshot source", "copy", "status", "snapshot", "parity replay", "drain", "verify", "archive",
                "restore rehearsal", "retire", "rollback", "verify after rollback",
            ])
        #expect(road.steps.first { $0.step == "snapshot" }?.summary.contains("match the source's snapshot") == true)
        #expect(try content.hash() == sourceHash, "the source changed")
        #expect(try storeContent("\(directory)/fs.sqlite") == documents, "the source's store changed")
        #expect(try await pending(source, directory) == pendingBefore)
        // The drain ran on the copy: nothing is pending there after it.
        let copy = try SQLiteDatabase(path: "\(directory)/go/copy-legacy.sqlite", mode: .readOnly)
        #expect(
            try copy.query("SELECT count(*) FROM membership_membersyncqueue WHERE sync_status = 'pending'").first?.first
                == .integer(0))
        copy.close()

        // Every pending update now says something the register does not: fresh ones make Path A and
        // Path B differ where no rule accepts it.
        let tamper =
            "UPDATE membership_membersyncqueue SET fields_changed = '{\"name\": \"Someone Else\"}' "
            + "WHERE sync_status = 'pending' AND action = 'update'"
        if source.hasPrefix("sqlite:") {
            let database = try SQLiteDatabase(
                path: "\(directory)/\(source.dropFirst("sqlite:".count))", mode: .readWrite)
            try database.execute(tamper)
            database.close()
        } else {
            let connection = try PostgresConnection(source)
            try connection.execute(tamper)
            connection.close()
        }
        (sourceHash, documents) = (try content.hash(), try storeContent("\(directory)/fs.sqlite"))

        let stopped = try await run(["rehearse", "--source", source, "--target", store, "--out", "fail", "--json"])
        #expect(stopped.exitCode == 50, "\(stopped.stdout)\(stopped.stderr)")
        let held = try steps(stopped)
        #expect(
            !held.go && held.steps.map(\.step).last == "parity replay" && held.steps.last?.passed == false,
            "\(stopped.stdout)")
        #expect(held.steps.last?.summary.hasPrefix("FAIL: ") == true, "\(held.steps.last?.summary ?? "")")
        #expect(
            held.stopped == "stopped before drain: parity-replay did not pass (fail, exit 11)",
            "\(held.stopped ?? "not stopped")")
        let ledger = try SQLiteDatabase(path: "\(directory)/fail/ledger.sqlite", mode: .readOnly)
        let recorded = try ledger.query("SELECT step, verdict, exit_code FROM steps ORDER BY rowid").map {
            "\($0[0].textValue ?? "") \($0[1].textValue ?? "") \($0[2].integerValue ?? -1)"
        }
        ledger.close()
        #expect(recorded == ["snapshot written 0", "parity-replay fail 11"], "\(recorded)")
        let text = try await run(["rehearse", "--source", source, "--target", store, "--out", "fail-text"])
        #expect(
            text.exitCode == 50
                && text.stdout.contains(
                    "NO-GO: stopped before drain: parity-replay did not pass (fail, exit 11) "
                        + "(nothing after it ran; --force goes on, recorded in fail-text/ledger.sqlite)."),
            "\(text.stdout)")
        #expect(!text.stdout.contains(" drain "), "\(text.stdout)")
        #expect(
            try content.hash() == sourceHash && storeContent("\(directory)/fs.sqlite") == documents,
            "a stopped rehearsal wrote to the source")

        let forced = try await run([
            "rehearse", "--source", source, "--target", store, "--out", "forced", "--force", "--json",
        ])
        let pushed = try steps(forced)
        #expect(pushed.steps.map(\.step).contains("drain"), "\(forced.stdout)")
        #expect(
            pushed.forced.first == "drain forced past: parity-replay did not pass (fail, exit 11)", "\(pushed.forced)")
        // Retirement's own parity gate still refuses: forcing the road does not make a FAIL a GO.
        #expect(forced.exitCode == 50 && !pushed.go)
        let forcedLedger = try SQLiteDatabase(path: "\(directory)/forced/ledger.sqlite", mode: .readOnly)
        let drain = try #require(
            try forcedLedger.query("SELECT forced, forced_past FROM steps WHERE step = 'drain'").first)
        forcedLedger.close()
        #expect(
            drain[0] == .integer(1) && (drain[1].textValue ?? "").contains("parity-replay did not pass"), "\(drain)")
        #expect(try content.hash() == sourceHash, "a forced rehearsal wrote to the source")
        #expect(
            try storeContent("\(directory)/fs.sqlite") == documents, "a forced rehearsal wrote to the source's store")
    }

    static let world = DemoWorld(members: 150, queueRows: 600)

    @Test func rehearsalOfASQLiteSourceWorksOnCopies() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.copy(into: directory, store: .at("fs.sqlite"))
            try await rehearsesOnCopies(source: "sqlite:legacy.sqlite", directory: directory)
        }
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
    func rehearsalOfAPostgreSQLSourceWorksOnCopies() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.withCopiedDatabase(store: .at("fs.sqlite"), in: directory) { url in
                try await rehearsesOnCopies(source: url, directory: directory)
            }
        }
    }

    /// The status line splits pending rows by the last run it used — the store's sync_logs, or --last-run —
    /// with `status`'s numbers, and says when it cannot split them instead of counting none; the parity line
    /// states the counts of parity.json.
    @Test func summaryClassifiesPendingRowsAndRepeatsTheParityCounts() async throws {
        try await withTemporaryDirectory { directory in
            func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
                try await CutoverBinary.run(arguments, directory: directory)
            }
            try await Self.world.copy(into: directory, store: .at("fs.sqlite"))
            // Hundreds pending: an admin action set synced rows back to pending (LEGACY.md §2).
            let legacy = try SQLiteDatabase(path: "\(directory)/legacy.sqlite", mode: .readWrite)
            try legacy.execute(
                """
                UPDATE membership_membersyncqueue SET sync_status = 'pending', synced_at = NULL
                WHERE id IN (SELECT id FROM membership_membersyncqueue WHERE sync_status = 'synced' ORDER BY id LIMIT \
                300)
                """)
            legacy.close()
            func status(_ extra: [String]) async throws -> [String: Any] {
                let outcome = try await run(["status", "--source", "sqlite:legacy.sqlite", "--json"] + extra)
                let json = try DecodedOutput.resultObject(outcome.stdout)
                return json?["pending"] as? [String: Any] ?? [:]
            }
            func statusLine(_ outcome: CutoverBinary.Outcome) throws -> String {
                try #require(try steps(outcome).steps.first { $0.step == "status" }).summary
            }

            let fromLogs = try await status(["--firestore", "embedded:fs.sqlite"])
            let total = try #require(fromLogs["total"] as? Int)
            #expect(total >= 300 && fromLogs["last_successful_run"] is String)
            let logged = try await run([
                "rehearse", "--source", "sqlite:legacy.sqlite", "--target", "embedded:fs.sqlite", "--out", "logs",
                "--json",
            ])
            let loggedLine = try statusLine(logged)
            #expect(
                loggedLine.contains(
                    "\(total) pending (\(fromLogs["stranded"] as? Int ?? -1) stranded, "
                        + "\(fromLogs["fresh"] as? Int ?? -1) fresh; "
                        + "last run \(fromLogs["last_successful_run"] as? String ?? "?") from sync_logs copied from "
                        + "the source's store)"
                ),
                "\(loggedLine)")

            let lastRun = "2020-01-01T00:00:00Z"
            let given = try await status(["--last-run", lastRun])
            let told = try await run([
                "rehearse", "--source", "sqlite:legacy.sqlite", "--target", "embedded:fs.sqlite", "--out", "told",
                "--last-run", lastRun, "--json",
            ])
            let toldLine = try statusLine(told)
            #expect(
                toldLine.contains(
                    "\(total) pending (\(given["stranded"] as? Int ?? -1) stranded, "
                        + "\(given["fresh"] as? Int ?? -1) fresh; last run 2020-01-01T00:00:00Z from --last-run)"),
                "\(toldLine)")

            // A store without sync_logs: the rows are still counted as pending, named as not split.
            let bare = try await run([
                "rehearse", "--source", "sqlite:legacy.sqlite", "--target", "embedded:empty.sqlite", "--out", "bare",
                "--json",
            ])
            let line = try statusLine(bare)
            #expect(
                line.contains(
                    "\(total) pending (not split into stranded and fresh: no successful run in sync_logs; give "
                        + "--last-run TIME)"
                ),
                "\(line)")
            #expect(!line.contains("0 pending (0 stranded)"))

            // The parity line's counts are parity.json's.
            let report = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(directory)/logs/parity/parity.json")))
            let counts = try #require((report as? [String: Any])?["counts"] as? [String: Any])
            func count(_ key: String) -> Int { counts[key] as? Int ?? -1 }
            let parity = try #require(try steps(logged).steps.first { $0.step == "parity replay" }).summary
            #expect(
                parity.hasSuffix(
                    "members compared \(count("members_compared")): identical \(count("identical")), "
                        + "equivalent \(count("equivalent")), accepted \(count("accepted")), different "
                        + "\(count("different")), "
                        + "only in A \(count("only_in_a")), only in B \(count("only_in_b"))"), "\(parity)")
            #expect(count("members_compared") > 0)
        }
    }

    /// Without a store there is nothing to copy the documents from: refused as a usage mistake.
    @Test func aSourceWithoutItsStoreIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let outcome = try await CutoverBinary.run(
                ["rehearse", "--source", "sqlite:legacy.sqlite"], directory: directory)
            #expect(
                outcome.exitCode == 64 && outcome.stderr.contains("give both --source and --target"),
                "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cutover-out"))
        }
    }
}
