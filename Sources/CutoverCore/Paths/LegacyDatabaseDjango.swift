/// Django's side of Path A over a live legacy database — the queue table and the register — so the
/// nightly-run model can run against a real (or restored) database: after a rollback, the old path
/// works again.
public actor LegacyDatabaseDjango: PathADjango {
    private let database: any LegacyDatabase
    private let queue: QueueTableWriter
    private let writer: DjangoRegisterWriter
    private let schema: String

    public init(database: any LegacyDatabase, table: QueueTableName) throws {
        self.database = database
        queue = try QueueTableWriter(database: database, table: table)
        writer = DjangoRegisterWriter(database: database, schema: table.schema)
        schema = table.schema
    }

    public func pendingChanges(since: Timestamp) throws -> [QueueRow] {
        try queue.pendingRows(createdAfter: since)
    }

    public func member(ssn: String) throws -> JSONValue? {
        let kennitala = Kennitala.normalised(ssn)
        return try RegisterLookup.load(database: database, schema: schema, kennitalas: [kennitala]).pathA[kennitala]
    }

    public func markSynced(_ ids: [Int64], at time: Timestamp) throws -> Int {
        try queue.markSynced(ids, at: time, mark: Int64.max)
        return ids.count  // asked to flip; the UPDATE flips only those still unsynced

    }

    public func apply(kennitala: String, changes: [String: JSONValue]) throws -> PathADjangoApply {
        let outcome = try writer.apply(kennitala: Kennitala.normalised(kennitala), changes: changes)
        return PathADjangoApply(error: outcome.error,
                                ignoredPaths: changes.keys.filter { !DjangoRegisterWriter.appliedPaths.contains($0) }.sorted())
    }
}
