import CutoverSupport

/// A live legacy database — PostgreSQL (Django's production engine) or SQLite (Django's default
/// engine, and the embedded default here). Everything the commands read or write goes through this.
public protocol LegacyDatabase: AnyObject {
    /// `postgresql` or `sqlite`.
    var engine: Engine { get }
    /// Engine and version, e.g. `PostgreSQL 15.18`.
    var engineVersion: String { get }
    /// The target with nothing secret in it.
    var redactedTarget: String { get }
    /// The database name (PostgreSQL) or the file name (SQLite).
    var databaseName: String { get }

    /// Runs `body` in one consistent read; passes an id naming that view when the engine has one
    /// (PostgreSQL's exported snapshot id).
    func withConsistentRead<T>(_ body: (String?) throws -> T) throws -> T
    /// Runs `body` in one write transaction.
    func withTransaction<T>(_ body: () throws -> T) throws -> T

    /// Which database and table this is, for tying artifacts to it (call it outside a transaction: a
    /// role that may not read PostgreSQL's system identifier leaves it out rather than failing).
    func sourceIdentity(of table: QueueTableName) throws -> SourceIdentity
    /// Columns, constraints, indexes and sequence of the queue table; a schema error when it is missing.
    func describeQueueTable(_ name: QueueTableName) throws -> QueueTableDescription
    /// Every queue row in `id` order, as text values in the description's column order.
    func scanQueueRows(_ description: QueueTableDescription, _ body: (any RawRow) throws -> Void) throws
    /// Every queue row in the order the table stores them, read without a sort or an index, from its first
    /// page: the cheaper read-back of a table just loaded in key order. A check over it can fail (rows stored
    /// in another order hash differently) but never passes a table that holds other rows.
    func scanQueueRowsInStoredOrder(
        _ description: QueueTableDescription, _ body: (any RawRow) throws -> Void
    ) throws
    /// A forward-only cursor over a query's rows (several may be open at once inside a read).
    func openCursor(_ sql: String) throws -> any RowCursor
    /// Whether a table exists (`schema` is ignored by SQLite).
    func tableExists(schema: String, table: String) throws -> Bool
    /// The column names of each of `tables` that exists (`schema` is ignored by SQLite), in one query:
    /// the register reader asks before every read, and a drain reads the register once per batch.
    func columnNames(schema: String, tables: [String]) throws -> [String: Set<String>]
    /// A table name as it goes into this engine's SQL.
    func qualified(schema: String, table: String) -> String

    /// Takes the run lock for `table` (`QueueRunLock`), or throws a `busy` error naming its holder.
    func acquireRunLock(for table: QueueTableName, holder: QueueRunHolder) throws -> QueueRunLock

    func execute(_ sql: String) throws
    /// Loads rows fast (COPY in PostgreSQL, a prepared insert in SQLite).
    func bulkLoad(into table: String, columns: [String], _ body: (any RowSink) throws -> Void) throws
    /// `bulkLoad` into a table created earlier in the current transaction, its rows written already frozen
    /// (PostgreSQL's `COPY … FREEZE`): the index builds and the read-back that follow then find every page
    /// all-visible and write no hint bits. PostgreSQL refuses it for a table older than the transaction.
    /// PostgreSQL takes the rows in binary COPY when every column's type has an encoder here
    /// (`PostgresFrozenBinaryLoad`), otherwise, or when a value's text is not in the form it encodes, as text.
    func bulkLoadFrozen(
        intoTableCreatedInThisTransaction table: String, columns: [String],
        _ body: (any RowSink) throws -> Void) throws
    /// How this engine spells a boolean in text form for `bulkLoad`.
    func booleanText(_ value: Bool) -> String
    /// How this engine spells a timestamp for `bulkLoad` into a column of the given flavour.
    func timestampText(_ value: Timestamp, withTimeZone: Bool) -> String
}

/// Rows one at a time, in text form.
public protocol RowCursor: AnyObject {
    func next() throws -> [String?]?
}

/// Where `bulkLoad` sends rows.
public protocol RowSink {
    func write(_ values: [String?]) throws
    /// A row read from another database, passed on without a String per field where the sink can.
    func write(_ row: any RawRow) throws
}

extension RowSink {
    public func write(_ row: any RawRow) throws { try write((0..<row.fieldCount).map(row.string)) }
}
