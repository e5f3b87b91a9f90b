import CutoverDemo
import Foundation
import LegacySync
import Postgres
import SQLite
import TestSupport
import Testing

/// A restore into PostgreSQL stages the rows (personal data) in a schema of its own until the swap: a run
/// stopped by SIGINT drops that schema before it exits, and the table it was to replace is untouched.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct CLIRestoreInterruptTests {
    @Test func aSIGINTDuringTheSwapDropsTheStagingSchemaAndLeavesTheTable() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await withTemporaryDirectory { directory in
                try await Self.seedAndSnapshot(url, in: directory)
                let connection = try PostgresConnection(url)
                let before = try connection.query(Self.fingerprint).value(0, 0)
                // A reader of the live table holds the swap's DROP TABLE waiting: the run is stopped there, with its
                // staged table loaded, read back and indexed.
                let reader = try PostgresConnection(url)
                try reader.execute("BEGIN; LOCK TABLE membership_membersyncqueue IN ACCESS SHARE MODE")
                let run = try TerminalWatchedProcess(
                    ["restore", "--snapshot", "s.sqlite", "--into", url, "--replace"], directory: directory)
                let schema = PostgresStagedRestore.stagingSchema(for: .defaultName)
                let waiting =
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'membership_membersyncqueue'::regclass"
                let swapWaits = try await Self.poll(waiting, on: connection)
                try #require(swapWaits, "the restore never reached the swap: \(run.stderr)")
                #expect(
                    try connection.query("SELECT count(*) FROM pg_namespace WHERE nspname = $1", [schema]).value(0, 0)
                        == "1")
                run.send(SIGINT)
                #expect(try await run.waitForExit() == 130, "\(run.stderr)")
                #expect(run.stderr.contains("stopped by SIGINT, removed staging schema \(schema)"), "\(run.stderr)")
                try reader.execute("COMMIT")
                #expect(
                    try connection.query("SELECT count(*) FROM pg_namespace WHERE nspname = $1", [schema]).value(0, 0)
                        == "0")
                #expect(try connection.query(Self.fingerprint).value(0, 0) == before)
            }
        }
    }

    /// A run stopped while its builder connections build the indexes: the handler ends the builders' backends
    /// with the others, so nothing holds the staged table, and the staging schema is dropped before the exit.
    /// One captured index calls a function that sleeps per row, which holds a builder in its build.
    @Test func aSIGINTDuringTheIndexBuildsEndsTheBuildersAndDropsTheStagingSchema() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await withTemporaryDirectory { directory in
                try await Self.seedAndSnapshot(url, in: directory)
                let connection = try PostgresConnection(url)
                try connection.execute(
                    "CREATE FUNCTION public.slow_key(integer) RETURNS integer IMMUTABLE LANGUAGE plpgsql "
                        + "AS 'BEGIN PERFORM pg_sleep(0.2); RETURN $1; END'")
                let snapshot = try SQLiteDatabase(path: "\(directory)/s.sqlite", mode: .readWrite)
                try snapshot.execute(
                    "INSERT INTO queue_indexes VALUES ('q_slow', 'CREATE INDEX q_slow ON "
                        + "public.membership_membersyncqueue USING btree (public.slow_key(id))')")
                snapshot.close()
                let before = try connection.query(Self.fingerprint).value(0, 0)
                let run = try TerminalWatchedProcess(
                    ["restore", "--snapshot", "s.sqlite", "--into", url, "--replace"], directory: directory)
                let building =
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'CREATE INDEX q_slow%'"
                let builds = try await Self.poll(building, on: connection)
                try #require(builds, "the restore never reached the slow build: \(run.stderr)")
                run.send(SIGINT)
                #expect(try await run.waitForExit() == 130, "\(run.stderr)")
                let schema = PostgresStagedRestore.stagingSchema(for: .defaultName)
                #expect(run.stderr.contains("stopped by SIGINT, removed staging schema \(schema)"), "\(run.stderr)")
                #expect(
                    try connection.query("SELECT count(*) FROM pg_namespace WHERE nspname = $1", [schema]).value(0, 0)
                        == "0")
                #expect(try connection.query(building).value(0, 0) == "0")
                #expect(try connection.query(Self.fingerprint).value(0, 0) == before)
            }
        }
    }

    /// The queue table's row count and content digest: what a stopped restore must leave as it was.
    static let fingerprint =
        "SELECT count(*) || ' ' || md5(string_agg(q::text, ',' ORDER BY id)) FROM membership_membersyncqueue q"

    /// A small register and queue seeded into `url`, and its snapshot `s.sqlite` in `directory`.
    static func seedAndSnapshot(_ url: String, in directory: String) async throws {
        for arguments in [
            ["demo", "seed", "--into", url, "--members", "40", "--queue-rows", "300", "--no-firestore"],
            ["snapshot", "--source", url, "--out", "s.sqlite"],
        ] {
            let outcome = try await CutoverBinary.run(arguments, directory: directory)
            try #require(outcome.exitCode == 0, "\(arguments): \(outcome.stderr)")
        }
    }

    /// Whether `count` (a query returning one count) reached 1 within 30 s, asked every 50 ms.
    static func poll(_ count: String, on connection: PostgresConnection) async throws -> Bool {
        for _ in 0..<600 {
            if try connection.query(count).value(0, 0) == "1" { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return false
    }
}
