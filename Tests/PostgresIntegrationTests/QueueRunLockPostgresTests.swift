import CutoverSupport
import Foundation
import LegacySync
import Postgres
import TestSupport
import Testing

/// The run lock on PostgreSQL (issue 19, point 6): an advisory lock on the run's connection, its holder
/// in `application_name`, found by the second run through `pg_locks` — whether cutover or anyone else holds it.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipReason)))
struct QueueRunLockPostgresTests {
    static let started = Timestamp(parsing: "2026-11-30T23:01:02Z")!

    @Test func aSecondConnectionIsRefusedNamingTheHolder() throws {
        try TestPostgres.withFreshDatabase { url in
            let first = try LegacyDatabaseOpener.open(url)
            let second = try LegacyDatabaseOpener.open(url)
            let observer = try PostgresConnection(url)
            func applicationNames() throws -> [String] {
                try observer.query("SELECT application_name FROM pg_stat_activity WHERE datname = current_database()")
                    .rows.compactMap { $0[0] }
            }
            let holder = QueueRunHolder(command: "drain", started: Self.started)
            let held = try QueueRunLock.acquire("drain", table: .defaultName, on: first, started: Self.started)
            #expect(try applicationNames().contains(holder.line(limit: 63)))

            let refused = #expect(throws: CutoverError.self) {
                try QueueRunLock.acquire("retire", table: .defaultName, on: second)
            }
            #expect(refused?.kind == .busy && refused?.exitCode == ExitCode.busy.code)
            #expect(
                refused?.message.contains("public.membership_membersyncqueue in ") == true,
                "\(String(describing: refused))")
            #expect(
                refused?.message.contains("is busy: held by cutover drain (pid \(getpid()) on ") == true,
                "\(String(describing: refused))")
            #expect(refused?.message.contains("started 2026-11-30T23:01:02Z) through PostgreSQL backend ") == true)

            // Another place (a scratch schema's queue) is another lock.
            let scratch = try QueueRunLock.acquire(
                "restore", table: QueueTableName(schema: "cutover_rehearsal", table: "membership_membersyncqueue"),
                on: second)
            scratch.release()

            held.release()
            #expect(try !applicationNames().contains(holder.line(limit: 63)), "the holder's name goes with the lock")
            let next = try QueueRunLock.acquire("retire", table: .defaultName, on: second)
            #expect(throws: CutoverError.self) { try QueueRunLock.acquire("drain", table: .defaultName, on: first) }
            next.release()
        }
    }

    /// A lock taken by hand (psql, another tool) on the same key is found and named by its backend.
    @Test func aLockHeldOutsideCutoverIsNamedByItsBackend() throws {
        try TestPostgres.withFreshDatabase { url in
            let outsider = try PostgresConnection(url)
            try outsider.execute("SET application_name = 'psql'")
            let backend = try #require(try outsider.query("SELECT pg_backend_pid()").value(0, 0))
            _ = try outsider.query("SELECT pg_advisory_lock($1::bigint)", [String(QueueRunLock.key(for: .defaultName))])
            let database = try LegacyDatabaseOpener.open(url)
            let refused = #expect(throws: CutoverError.self) {
                try QueueRunLock.acquire("drain", table: .defaultName, on: database)
            }
            #expect(
                refused?.message.contains("is busy: held by PostgreSQL backend \(backend) (application_name 'psql')")
                    == true,
                "\(String(describing: refused))")
            // (Unlocked rather than disconnected: a closed session's backend lets go a moment later, not at once.)
            _ = try outsider.query(
                "SELECT pg_advisory_unlock($1::bigint)", [String(QueueRunLock.key(for: .defaultName))])
            try QueueRunLock.acquire("drain", table: .defaultName, on: database).release()
        }
    }
}
