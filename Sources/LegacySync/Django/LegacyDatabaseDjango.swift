import CutoverSupport

/// Django's side of Path A over a live legacy database — the queue table and the register — so the
/// nightly-run model can run against a real (or restored) database: after a rollback, the old path
/// works again. In a dry run it reads as it would and writes nothing: portal edits are checked, not
/// applied (so members read afterwards are as before the edits), and no row is marked synced.
public actor LegacyDatabaseDjango: PathADjango {
    private let database: any LegacyDatabase
    private let queue: QueueTableWriter
    private let writer: DjangoRegisterWriter
    private let schema: String
    private let dryRun: Bool
    /// Held here, beside the connection it may live on, for as long as this Django stands in for the real one.
    private var runLock: QueueRunLock?

    /// `holdingRunLockFor` takes the queue's run lock (`QueueRunLock`) in that command's name: the nightly
    /// run marks rows as a drain does, so it must not interleave with one.
    public init(
        database: any LegacyDatabase, table: QueueTableName, dryRun: Bool = false,
        holdingRunLockFor command: String? = nil
    ) throws {
        runLock = try command.map { try QueueRunLock.acquire($0, table: table, on: database) }
        self.database = database
        queue = try QueueTableWriter(database: database, table: table)
        writer = DjangoRegisterWriter(database: database, schema: table.schema)
        schema = table.schema
        self.dryRun = dryRun
    }

    /// Lets go of the run lock taken at init (also done when this is freed, and when the process ends).
    public func releaseRunLock() {
        runLock?.release()
        runLock = nil
    }

    public func pendingChanges(since: Timestamp) throws -> [QueueRow] {
        try queue.pendingRows(createdAfter: since)
    }

    public func member(ssn: String) throws -> JSONValue? {
        let kennitala = Kennitala.normalised(ssn)
        return try RegisterLookup.load(database: database, schema: schema, kennitalas: [kennitala]).pathA[kennitala]
    }

    /// §4: the endpoint flips only rows still `pending` — a row an admin marked `failed` meanwhile stays
    /// failed. A dry run counts what the endpoint would flip.
    public func markSynced(_ ids: [Int64], at time: Timestamp) throws -> Int {
        try queue.markPendingSynced(ids, at: time, dryRun: dryRun)
    }

    public func apply(kennitala: String, changes: [String: JSONValue]) throws -> PathADjangoApply {
        let kennitala = Kennitala.normalised(kennitala)
        let outcome =
            dryRun ? try writer.check(kennitala: kennitala) : try writer.apply(kennitala: kennitala, changes: changes)
        return PathADjangoApply(
            error: outcome.error,
            ignoredPaths: changes.keys.filter { !DjangoRegisterWriter.appliedPaths.contains($0) }.sorted())
    }
}
