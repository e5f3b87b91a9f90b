import CutoverSupport
import Foundation
import Postgres
import TestSupport
import Testing

/// Writers stopped before retire (issue 18, point 5), as an operator meets it on SQLite and PostgreSQL:
/// a row an unchanged Django inserted lands above the drain's mark and retire refuses; drained again, the
/// row still holds retirement back until the quiet window has passed since its `created_at`. The binary
/// reads the wall clock, so time passing is played by dating the row earlier — the gate measures
/// `now - created_at` from the table, so that is the same as waiting (the core suite moves a test clock).
struct CLIRetireQuietWindowTests {
    func gates(_ outcome: CutoverBinary.Outcome) -> [String: (passed: Bool, detail: String)] {
        let json = (try? DecodedOutput.resultObject(outcome.stdout)) ?? [:]
        var found: [String: (Bool, String)] = [:]
        for gate in json["gates"] as? [[String: Any]] ?? [] {
            found[gate["gate"] as! String] = (gate["passed"] as? Bool ?? false, gate["detail"] as? String ?? "")
        }
        return found
    }

    func failing(_ outcome: CutoverBinary.Outcome) -> [String] {
        gates(outcome).filter { !$0.value.passed }.map(\.key).sorted()
    }

    /// The road to retire on `source`, a row landing, the drain again and the window. `execute` runs SQL on
    /// the source; `rehearsal` restores an archive somewhere that is not the original place; `missing`
    /// is the error Django's driver gives once the table is gone. `source` holds `Self.world`, and
    /// `firestore.sqlite` in `directory` its store.
    func writersStoppedBeforeRetire(
        source: String, rehearsal: [String], missing: String, directory: String,
        execute: (String) throws -> Void
    ) async throws {
        func run(_ arguments: [String]) async throws -> CutoverBinary.Outcome {
            try await CutoverBinary.run(arguments, directory: directory)
        }
        let store = "embedded:\(directory)/firestore.sqlite"
        #expect(
            try await run(["snapshot", "--source", source, "--firestore", store, "--out", "before.sqlite"]).exitCode
                == 0)
        #expect(
            [0, 10].contains(
                try await run(["parity", "replay", "--snapshot", "before.sqlite", "--out", "parity"]).exitCode))
        func rehearsalArguments(_ name: String) -> [String] {
            rehearsal.map { $0.replacingOccurrences(of: "NAME", with: name) }
        }
        func drainAndArchive(_ name: String) async throws {
            let drained = try await run([
                "drain", "--source", source, "--target", store, "--include-failed", "--journal", "journal.sqlite",
                "--out", "drain-\(name)",
            ])
            #expect(drained.exitCode == 0, "\(drained.stdout)\(drained.stderr)")
            #expect(
                try await run(["snapshot", "--source", source, "--firestore", store, "--out", "\(name).sqlite"])
                    .exitCode == 0
            )
            #expect(
                try await run(["archive", "create", "--snapshot", "\(name).sqlite", "--out", "\(name).tar.gz"]).exitCode
                    == 0)
            let rehearsed = try await run(
                ["restore", "--archive", "\(name).tar.gz", "--out", "restore-\(name)"] + rehearsalArguments(name))
            #expect(rehearsed.exitCode == 0, "\(rehearsed.stderr)")
        }
        func retire(_ name: String, _ extra: [String] = []) async throws -> CutoverBinary.Outcome {
            try await run(
                [
                    "retire", "--source", source, "--archive", "\(name).tar.gz", "--parity", "parity/parity.json",
                    "--journal", "journal.sqlite", "--rehearsal", "restore-\(name)/restore.json",
                ] + extra)
        }

        try await drainAndArchive("first")
        let quiet = try await retire("first", ["--json"])
        #expect(quiet.exitCode == 0 && gates(quiet).count == 8 && failing(quiet).isEmpty, "\(quiet.stdout)")
        #expect(gates(quiet)["quiet-window"]?.detail.hasSuffix("; quiet window 10 min") == true, "\(quiet.stdout)")
        // The dry run says what an unchanged Django does afterwards, with the error it gets.
        let dryRun = try await retire("first")
        #expect(
            dryRun.stdout.contains("after retirement an unchanged Django fails on every member save (\(missing))"),
            "\(dryRun.stdout)")
        #expect(
            dryRun.stdout.contains("Deploy Django without them (keep Path B's), wait the quiet window, then retire."))

        // Django still runs Path A's handler: a member save two and a half minutes ago inserted a row above
        // the mark.
        let landed = Timestamp.now.adding(seconds: -150)
        try execute(
            """
            INSERT INTO membership_membersyncqueue (id, member_id, ssn, action, fields_changed, created_at, synced_at,
                sync_status, error_message, retry_count)
            SELECT (SELECT max(id) + 1 FROM membership_membersyncqueue), member_id, ssn, 'update', '{}',
                '\(landed.postgresText)+00', NULL, 'pending', '', 0
            FROM membership_membersyncqueue
            WHERE action = 'update' AND member_id IS NOT NULL AND ssn NOT LIKE '9999%' ORDER BY id LIMIT 1
            """)
        let landing = try await retire("first", ["--json"])
        #expect(
            landing.exitCode == 40 && failing(landing) == ["no-rows-after-mark", "quiet-window"], "\(landing.stdout)")
        let detail = gates(landing)["quiet-window"]?.detail ?? ""
        #expect(
            detail.hasPrefix("last insert 2 min") && detail.contains("at \(landed.iso8601)); quiet window 10 min: "),
            "\(detail)")

        // Path A's handlers deployed away: drained under a new mark and archived again, the row still
        // holds retirement back until the window has passed.
        try await drainAndArchive("second")
        let waiting = try await retire("second", ["--json"])
        #expect(waiting.exitCode == 40 && failing(waiting) == ["quiet-window"], "\(waiting.stdout)")
        // A shorter window the operator chose has passed.
        let shorter = try await retire("second", ["--json", "--quiet-for", "1m"])
        #expect(
            shorter.exitCode == 0 && gates(shorter)["quiet-window"]?.detail.hasSuffix("; quiet window 1 min") == true,
            "\(shorter.stdout)")

        // Nine more minutes with no insert (the row dated nine minutes earlier): the default window has passed.
        try execute(
            "UPDATE membership_membersyncqueue SET created_at = '\(landed.adding(seconds: -540).postgresText)+00' "
                + "WHERE id = (SELECT max(id) FROM membership_membersyncqueue)")
        let retired = try await retire("second", ["--confirm"])
        #expect(retired.exitCode == 0, "\(retired.stdout)\(retired.stderr)")
        #expect(retired.stdout.contains("pass  quiet-window: last insert 1"), "\(retired.stdout)")
        #expect(retired.stdout.contains("; quiet window 10 min\n"), "\(retired.stdout)")
        #expect(retired.stdout.contains("retired: the table is now membership_membersyncqueue_retired_"))
        #expect(
            retired.stdout.contains(
                "after a restore, redeploy Django with Path A's signal handlers before the queue is used again"))
    }

    static let world = DemoWorld(members: 150, queueRows: 500)

    @Test func onSQLite() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.copy(into: directory, store: .at("firestore.sqlite"))
            try await writersStoppedBeforeRetire(
                source: "sqlite:legacy.sqlite", rehearsal: ["--into", "sqlite:scratch-NAME.sqlite"],
                missing: "no such table: membership_membersyncqueue", directory: directory
            ) { try SQLiteTamper(path: "\(directory)/legacy.sqlite").run($0) }
        }
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
    func onPostgreSQL() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.world.withCopiedDatabase(store: .at("firestore.sqlite"), in: directory) { url in
                let connection = try PostgresConnection(url)
                try await writersStoppedBeforeRetire(
                    source: url, rehearsal: ["--into", url, "--schema", "rehearsal_NAME"],
                    missing: "relation \"membership_membersyncqueue\" does not exist", directory: directory
                ) { try connection.execute($0) }
            }
        }
    }

    /// `--quiet-for` is a duration, and no longer than the archive may be old.
    @Test func aQuietWindowThatIsNoDurationOrOutlastsTheArchiveIsAUsageError() async throws {
        try await withTemporaryDirectory { directory in
            for (value, message) in [("10x", "--quiet-for"), ("25h", "is longer than --max-age-hours 24")] {
                let outcome = try await CutoverBinary.run(
                    ["retire", "--source", "sqlite:nowhere.sqlite", "--archive", "a.tar.gz", "--quiet-for", value],
                    directory: directory)
                #expect(outcome.exitCode == 64 && outcome.stderr.contains(message), "\(value): \(outcome.stderr)")
            }
        }
    }
}
