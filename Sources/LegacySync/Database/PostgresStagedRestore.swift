import CutoverSupport
import Digest
import Postgres

/// A restore into PostgreSQL with its read-back off the critical path: the rows load into a copy of the table
/// in a staging schema of its own and commit (T1); then, in one transaction on the same connection (T2), the
/// staged table is locked against writers, a second connection reads it back while builder connections build
/// the keys' and the other indexes (`PostgresIndexBuilders`), and only a read-back that the caller accepts swaps
/// it into the target's place (the old table dropped, the staged one moved in with its indexes, constraints and
/// sequence) in that same transaction.
///
/// Why: in one transaction the read-back (a text COPY of the whole table, hashed by the client) could only
/// start after the index builds, about 0.8–0.9 s of server CPU and the client's hash on the critical path at a
/// million rows (Benchmarks/results/issue21-restore-statement-log.md). A second connection sees the rows only
/// once they are committed, hence the staging schema. The target is untouched until the swap: a read-back that
/// differs, or any error, rolls T2 back and drops the staging schema, and the user sees nothing changed.
///
/// The staging schema holds the rows (personal data) until the swap: a stopped run drops it when it can
/// (`CleanupRegistry`), and the next restore of the same target sweeps what a killed one left.
public final class PostgresStagedRestore {
    /// `cutover_restore_` and 8 hex digits of the SHA-256 of the target's quoted name: one per target, so two
    /// restores of different targets never sweep each other's staging (the run lock keeps one per target).
    public static func stagingSchema(for target: QueueTableName) -> String {
        "cutover_restore_" + Digester.hexDigest(of: Array(target.quoted.utf8)).prefix(8)
    }

    /// Where the rows go before the swap.
    public let staging: QueueTableName
    private let database: PostgresLegacyDatabase
    /// The captured table as it ends up, in the target's place.
    private let final: QueueTableDescription
    /// The same table in the staging schema.
    private let staged: QueueTableDescription
    private let plan: PostgresStagedIndexPlan
    /// This connection's backend and the index builders', for a stopped run's cleanup to end.
    private let backends = PostgresIndexBuilders.Backends()
    private var transactionOpen = false
    private var cleanupName: String?

    /// Nil for a database that is not PostgreSQL. `final` is the captured description retargeted to the
    /// place the table ends up in; `retarget` gives the same under another name (the staging schema's).
    public init?(
        into database: any LegacyDatabase, final: QueueTableDescription,
        retarget: (QueueTableName) -> QueueTableDescription
    ) {
        guard let database = database as? PostgresLegacyDatabase else { return nil }
        self.database = database
        self.final = final
        staging = QueueTableName(schema: Self.stagingSchema(for: final.name), table: final.name.table)
        staged = retarget(staging)
        plan = PostgresStagedIndexPlan(staged)
    }

    deinit { abandon() }

    /// T1: sweeps a staging schema an earlier run left, creates the bare table in a new one, loads the rows
    /// frozen (`bulkLoadFrozen`), and commits.
    public func load(_ rows: (any RowSink) throws -> Void) throws {
        guard let scripts = staged.postgresLoadScripts else { return }
        registerCleanup()
        let schema = QueueTableName.quote(staging.schema)
        try stoppable {
            try database.withTransaction {
                try database.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE; CREATE SCHEMA \(schema)")
                try database.execute(scripts.beforeRows)
                try database.bulkLoadFrozen(
                    intoTableCreatedInThisTransaction: staging.quoted, columns: staged.columns.map(\.name), rows)
            }
        }
    }

    /// T2's first part: locks the staged table in SHARE mode (writers wait; one that slipped in after T1's commit
    /// is seen by the read-back and fails it), then builds the indexes on builder connections of their own
    /// (`PostgresIndexBuilders`: SHARE locks, which T2's SHARE and the reader's ACCESS SHARE let through; each
    /// build commits, and T2 rolling back drops them with the staging schema) while `readBack` runs on one more
    /// connection to the same target, on a thread of its own. The keys and checks that need ACCESS EXCLUSIVE, and
    /// the sequence's position, follow in T2 once the builders and the reader are done. A failed build fails the
    /// restore. Returns what `readBack` returned.
    public func buildIndexesWhileReadingBack<T: Sendable>(
        _ readBack: @escaping @Sendable (any LegacyDatabase, QueueTableDescription) throws -> T
    ) throws -> T {
        try stoppable { try overlapped(readBack) }
    }

    private func overlapped<T: Sendable>(
        _ readBack: @escaping @Sendable (any LegacyDatabase, QueueTableDescription) throws -> T
    ) throws -> T {
        try database.execute("BEGIN")
        transactionOpen = true
        try database.execute("LOCK TABLE \(staging.quoted) IN SHARE MODE")
        let target = database.connection.target
        let staged = self.staged
        let builders = try PostgresIndexBuilders(target: target, statements: plan.builds, backends: backends)
        let reader = BackgroundWork {
            try readBack(try PostgresLegacyDatabase(target: target), staged)
        }
        do { try builders.wait() } catch {
            _ = try? reader.wait()
            throw error
        }
        let value = try reader.wait()
        try database.execute(plan.afterReadingBack)
        return value
    }

    /// T2's end: runs `beforeDrop` when the target holds a table (the refusal without --replace), drops that
    /// table, moves the staged one into the target's schema (its indexes, constraints and owned sequence go
    /// with it), adds `foreignKeys`, drops the empty staging schema, and commits.
    public func swap(beforeDrop: () throws -> Void, foreignKeys: String?) throws {
        try stoppable { try moveIntoPlace(beforeDrop: beforeDrop, foreignKeys: foreignKeys) }
        unregisterCleanup()
    }

    private func moveIntoPlace(beforeDrop: () throws -> Void, foreignKeys: String?) throws {
        let target = final.name
        if try database.tableExists(schema: target.schema, table: target.table) {
            try beforeDrop()
            try database.execute("DROP TABLE \(target.quoted) CASCADE")
        }
        let schema = QueueTableName.quote(target.schema)
        try database.execute(
            "CREATE SCHEMA IF NOT EXISTS \(schema); ALTER TABLE \(staging.quoted) SET SCHEMA \(schema)")
        if let foreignKeys, !foreignKeys.isEmpty { try database.execute(foreignKeys) }
        // RESTRICT: anything still in it now was not this run's, and stops the swap.
        try database.execute("DROP SCHEMA \(QueueTableName.quote(staging.schema)); COMMIT")
        transactionOpen = false
    }

    /// Runs a phase; when it fails because a SIGINT/SIGTERM handler ended this run's backends, waits for that
    /// handler to drop the staging schema and exit (130/143) rather than racing it with this error.
    private func stoppable<T>(_ phase: () throws -> T) throws -> T {
        do { return try phase() } catch {
            CleanupRegistry.shared.waitIfStopping()
            throw error
        }
    }

    /// After a failure, and on deinit (a no-op after the swap): rolls T2 back and drops the staging schema in a
    /// transaction of its own, so that nothing of this run stays in the database.
    public func abandon() {
        guard let cleanupName else { return }
        if transactionOpen { _ = try? database.execute("ROLLBACK") }
        transactionOpen = false
        _ = try? database.execute("DROP SCHEMA IF EXISTS \(QueueTableName.quote(staging.schema)) CASCADE")
        CleanupRegistry.shared.unregister(action: cleanupName)
        self.cleanupName = nil
    }

    /// A SIGINT or SIGTERM ends the process with this connection perhaps mid-statement: the handler then ends
    /// this run's backends (their transactions roll back) and drops the staging schema from a connection of its
    /// own, waiting at most a few seconds for the locks.
    private func registerCleanup() {
        let name = "staging schema \(staging.schema)"
        let target = database.connection.target
        let schema = staging.schema
        if let pid = database.connection.backendPID { backends.add(pid) }
        let backends = self.backends
        CleanupRegistry.shared.register(action: name) {
            // Quietly: libpq would print a backend that has just ended as a WARNING on the way out.
            guard let connection = try? PostgresConnection(target),
                (try? connection.execute("SET client_min_messages = error")) != nil
            else { return false }
            // The reader's backend is found by the lock it holds on the staging schema's table; this connection's
            // and the builders' by their pids (a builder between two statements holds no lock).
            _ = try? connection.query(
                """
                SELECT pg_terminate_backend(pid) FROM (SELECT l.pid FROM pg_locks l JOIN pg_class c \
                ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 \
                AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
                UNION SELECT unnest($2::int[])) ours WHERE pid <> pg_backend_pid()
                """, [schema, backends.arrayLiteral])
            return
                (try? connection.execute(
                    "SET lock_timeout = '5s'; DROP SCHEMA IF EXISTS \(QueueTableName.quote(schema)) CASCADE")) != nil
        }
        cleanupName = name
    }

    private func unregisterCleanup() {
        if let cleanupName { CleanupRegistry.shared.unregister(action: cleanupName) }
        cleanupName = nil
    }
}
