import CutoverSupport
import Foundation
import LegacySync
import Snapshots

/// `cutover restore`: the queue table back from a snapshot file — the rollback, and the rehearsal
/// that retirement requires. Checks the snapshot's other tables against its own manifest first; recreates
/// the table from the captured DDL when absent; refuses a non-empty table unless replacing; loads the rows;
/// sets the sequence; and reads the restored rows back, checking their count and content hash against the
/// manifest before anything is committed where the table belongs (which also holds the file's queue rows to
/// it). PostgreSQL loads into a staging schema and swaps the table in once it read back right
/// (`PostgresStagedRestore`); SQLite, and a dry run, do all of it in one transaction (a dry run rolls back).
public struct Restorer {
    public struct Options: Sendable {
        public var snapshotPath: String
        /// Restore under this schema instead of the original (a scratch schema for the rehearsal).
        public var schema: String?
        public var replace = false
        /// Restore, check, and roll back: proof that the restore would succeed, with nothing changed.
        public var dryRun = false
        /// Restore into the original place of a database the snapshot was not read from (recorded).
        public var force = false
        /// For tests: runs between the staged load's commit and the lock that ends writes to the staged table.
        package var afterStagedLoad: (@Sendable (QueueTableName) throws -> Void)?

        public init(snapshotPath: String) { self.snapshotPath = snapshotPath }
    }

    public struct Result: Sendable {
        public let table: QueueTableName
        public let rows: Int
        public let sha256: String
        public let sequenceValue: Int64?
        public let target: String
        /// The snapshot the rows came from.
        public let snapshotID: String
        /// Everything was done and checked, then rolled back.
        public let rolledBack: Bool
        /// The database and table the snapshot was read from.
        public var sourceIdentity: SourceIdentity?
        /// The identity mismatches `force` went past, for the output and the ledger.
        public var forcedPast: [String] = []
        /// Each captured constraint, index and sequence, recreated or skipped.
        public var objects: [RestoredObject] = []
    }

    /// For the key and index builds of the one-transaction restore (a dry run into PostgreSQL), inside its
    /// transaction only (`SET LOCAL`), as pgcopydb sets them; the staged restore's builders set their own
    /// (`PostgresIndexBuilders`). Measured on 1,000,000 queue rows (the statement log, 2 shared cores): the
    /// widest index, (ssn, created_at), took 6.2 and 5.9 s at the default 64 MB, 4.7 and 4.4 s at 512 MB
    /// (the sort no longer spills); without parallel workers 12.1 and 10.0 s, so they stay at 2.
    static let indexBuildSettings =
        "SET LOCAL maintenance_work_mem = '512MB'; SET LOCAL max_parallel_maintenance_workers = 2"

    /// Thrown out of a dry run's transaction to roll it back once every check passed.
    private struct DryRunRollback: Error {}

    public let options: Options

    public init(options: Options) { self.options = options }

    /// Restores from an archive: verified, rebuilt into a temporary snapshot file, then restored from it.
    public static func fromArchive(
        _ archive: String, options: Options, into database: any LegacyDatabase,
        progress: (String) -> Void = { _ in }
    ) throws -> Result {
        let rebuilt = try RebuiltSnapshot(archive: archive, progress: progress)
        var options = options
        options.snapshotPath = rebuilt.path
        return try withExtendedLifetime(rebuilt) {
            try Restorer(options: options).run(into: database, progress: progress)
        }
    }

    public func run(into database: any LegacyDatabase, progress: (String) -> Void = { _ in }) throws -> Result {
        let snapshot = try SnapshotFile(path: options.snapshotPath)
        // The queue rows are held to the manifest by the read-back below, inside the load's transaction: a file
        // changed in those rows loads a table that reads back different, so nothing is restored from it (the
        // snapshot is hashed on that path only, to say which of the two was wrong). Every other table is
        // checked first: the Firestore collections `restore --firestore` puts back after the table, and the
        // register, since a file changed anywhere is not one to roll back to.
        try SnapshotContentCheck(snapshot).require(skipping: ["queue_rows"])
        guard let expected = snapshot.manifest.table("queue_rows") else {
            throw CutoverError(.input, "\(options.snapshotPath) holds no queue table")
        }
        let captured = try snapshot.describeQueue()
        guard captured.engine == database.engine else {
            throw CutoverError(
                .input,
                "the snapshot's table is \(captured.engine) DDL; restoring it into \(database.engine) is not supported",
                nextStep: "restore into the same kind of database it was taken from")
        }
        let target = QueueTableName(schema: options.schema ?? captured.name.schema, table: captured.name.table)
        // The place is this run's until it is done: a drain or retire there meanwhile would act on a table being
        // replaced. A dry run changes nothing anyone else can see (it rolls back), so it takes no lock.
        let lock = options.dryRun ? nil : try QueueRunLock.acquire("restore", table: target, on: database)
        defer { lock?.release() }
        // The original place is the queue's own schema in a database holding a member register: there a
        // queue of another database would feed Django's consumers the wrong rows. A scratch file or schema
        // without the register (a rehearsal) may take any archive.
        var forcedPast: [String] = []
        let registerHere =
            try options.schema == nil && database.tableExists(schema: target.schema, table: "membership_comrade")
        if registerHere {
            forcedPast = try SourceIdentityCheck(live: database.sourceIdentity(of: target), comparingTableOID: false)
                .require(
                    [.init("the snapshot \(snapshot.manifest.snapshotID)", snapshot.manifest.sourceIdentity)],
                    step: "restore into \(target) at \(database.redactedTarget)", force: options.force)
        }
        let description = captured.retargeted(to: target)
        let postgres = database.engine == .postgresql
        // The foreign keys name the member register: recreated in the original place, where it is, so that
        // a rollback brings back every captured constraint; elsewhere left out, and listed as left out.
        // SQLite replays its captured DDL whole (foreign keys are not enforced there), so everything is restored.
        let objects = RestoredObject.planned(
            for: description, foreignKeysRestored: registerHere || !postgres,
            whyNot: options.schema != nil
                ? "a scratch schema (\(target.schema)) is not the register's place"
                : "membership_comrade does not exist in schema \(target.schema) of \(database.redactedTarget)")

        let rows: (any RowSink) throws -> Void = { sink in
            try snapshot.forEachRawRow(Self.snapshotRowsQuery) { row in try sink.write(row) }
        }
        let refuseUnlessEmpty = {
            // With --replace whatever is there goes: counting it would only read the old table through.
            if !options.replace, case let count = try database.exactRowCount(of: target), count > 0 {
                throw CutoverError(
                    .output, "\(target) in \(database.redactedTarget) holds \(count) rows; nothing was changed",
                    nextStep: "restore into another --schema, or add --replace to replace it (in one transaction)")
            }
        }
        var sequenceValue: Int64?
        if !options.dryRun,
            let staged = PostgresStagedRestore(into: database, final: description, retarget: captured.retargeted)
        {
            // PostgreSQL: loaded beside the target and read back while the indexes build (PostgresStagedRestore).
            // Refused early as well as at the swap: a refusal need not wait for the load.
            if !options.replace, try database.tableExists(schema: target.schema, table: target.table) {
                try database.withConsistentRead { _ in try refuseUnlessEmpty() }
            }
            progress("loading \(expected.rowCount) rows into \(staged.staging), to replace \(target)")
            try loadRows(snapshot, expected) { try staged.load(rows) }
            try options.afterStagedLoad?(staged.staging)
            progress("building keys and indexes, checking the restored rows against the manifest meanwhile")
            let restored = try staged.buildIndexesWhileReadingBack { try Self.readBack($0, $1) }
            try requireMatch(restored, expected, snapshot, target)
            try staged.swap(
                beforeDrop: refuseUnlessEmpty, foreignKeys: registerHere ? description.foreignKeyScript : nil)
        } else {
            do {
                try database.withTransaction {
                    if try database.tableExists(schema: target.schema, table: target.table) {
                        try refuseUnlessEmpty()
                        let table = database.qualified(schema: target.schema, table: target.table)
                        try database.execute("DROP TABLE \(table)\(postgres ? " CASCADE" : "")")
                    }
                    // Foreign keys name the member register, which a scratch schema or another database may lack.
                    let scripts = description.postgresLoadScripts
                    if let scripts {
                        try database.execute("CREATE SCHEMA IF NOT EXISTS \(QueueTableName.quote(target.schema))")
                        try database.execute(scripts.beforeRows)
                    } else {
                        try database.execute(description.definitionScript)
                    }
                    progress("loading \(expected.rowCount) rows into \(target)")
                    // The table was created above, in this transaction: its rows can go in frozen.
                    try loadRows(snapshot, expected) {
                        try database.bulkLoadFrozen(
                            intoTableCreatedInThisTransaction: database.qualified(
                                schema: target.schema, table: target.table),
                            columns: description.columns.map(\.name), rows)
                    }
                    if let scripts {
                        progress("building keys and indexes")
                        try database.execute(Self.indexBuildSettings)
                        try database.execute(scripts.afterRows)
                        if registerHere { try database.execute(description.foreignKeyScript) }
                    }
                    // Read back what the database now holds, before committing: a mismatch (a type that does not
                    // round-trip, a trigger, a session setting) rolls the whole restore back, old table included.
                    progress("checking the restored rows against the manifest")
                    try requireMatch(try Self.readBack(database, description), expected, snapshot, target)
                    if options.dryRun {
                        // A sequence created in this transaction is gone after the rollback: read it while it stands.
                        sequenceValue = try database.idSequenceValue(of: target)
                        throw DryRunRollback()
                    }
                }
            } catch is DryRunRollback {}
        }
        if !options.dryRun {
            sequenceValue = try database.withConsistentRead { _ in try database.idSequenceValue(of: target) }
        }
        return Result(
            table: target, rows: expected.rowCount, sha256: expected.sha256, sequenceValue: sequenceValue,
            target: database.redactedTarget, snapshotID: snapshot.manifest.snapshotID,
            rolledBack: options.dryRun, sourceIdentity: snapshot.manifest.sourceIdentity, forcedPast: forcedPast,
            objects: objects)
    }

    /// Runs the load; rows the table refuses (a value its type does not take) may be rows changed in the file.
    /// A file that cannot be read again leaves the load's own error to say what happened.
    private func loadRows(
        _ snapshot: SnapshotFile, _ expected: SnapshotManifest.TableDigest, _ load: () throws -> Void
    ) throws {
        do { try load() } catch {
            if let damage = try? snapshotRowsDamage(snapshot, expected) { throw damage }
            throw error
        }
    }

    /// The read-back's verdict: a table that differs from the manifest restores nothing, and the refusal says
    /// whether the file or the database was at fault.
    private func requireMatch(
        _ restored: SnapshotManifest.TableDigest, _ expected: SnapshotManifest.TableDigest, _ snapshot: SnapshotFile,
        _ target: QueueTableName
    ) throws {
        Log.restore.info(
            "restored \(target) \(restored == expected ? "matches" : "does NOT match") the snapshot",
            metadata: ["rows": "\(restored.rowCount)", "expected_rows": "\(expected.rowCount)"])
        guard restored == expected else {
            if let damage = try snapshotRowsDamage(snapshot, expected) { throw damage }
            throw CutoverError(
                .invalidData,
                "restored \(target) does not match the snapshot; nothing was restored: "
                    + "\(restored.rowCount) rows sha256 \(restored.sha256), expected \(expected.rowCount) rows "
                    + "sha256 \(expected.sha256)"
            )
        }
    }

    /// The table's rows as the database returns them, digested as the manifest is. In stored order: the
    /// rows went in in the snapshot's (key) order, so that order is what a faithful table gives back, and a
    /// sequential read skips the index scan a key-order read needs (5.3–5.7 s against 4.1–5.0 s at a million
    /// rows, Benchmarks/results/issue21-restore-statement-log.md). Rows stored out of order would fail the
    /// check; no other table can pass it.
    private static func readBack(
        _ database: any LegacyDatabase, _ description: QueueTableDescription
    ) throws -> SnapshotManifest.TableDigest {
        let hasher = RowHasher()
        try database.scanQueueRowsInStoredOrder(description) { row in
            for field in 0..<row.fieldCount { row.withBytes(field) { hasher.addField($0) } }
            hasher.endRow()
        }
        return .init(name: "queue_rows", rowCount: hasher.rowCount, sha256: hasher.finalize())
    }
}
