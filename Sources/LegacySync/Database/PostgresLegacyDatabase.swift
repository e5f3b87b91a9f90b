import CutoverSupport
import Postgres

/// The legacy database on PostgreSQL, through libpq.
public final class PostgresLegacyDatabase: LegacyDatabase {
    let connection: PostgresConnection
    private var cursorCounter = 0

    public let engine = Engine.postgresql

    public convenience init(connectionString: String) throws {
        do {
            try self.init(target: try PostgresTarget(connectionString))
        } catch let error as PostgresError {
            throw CutoverError(postgres: error)
        }
    }

    /// Connects to `target` (a second connection to the same database: `connection.target`).
    public init(target: PostgresTarget) throws {
        do {
            connection = try PostgresConnection(target)
            // Fixed session settings make text output (and so content hashes) independent of the
            // server's or the role's configuration. Synchronised scans off: one would start where another
            // scan of the same table last was (tables over a quarter of shared_buffers), rotating the
            // stored order `scanQueueRowsInStoredOrder` promises.
            try connection.execute(
                "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; "
                    + "SET extra_float_digits = 1; SET bytea_output = 'hex'; SET client_min_messages = 'warning'; "
                    + "SET synchronize_seqscans = off")
        } catch let error as PostgresError {
            throw CutoverError(postgres: error)
        }
    }

    public var engineVersion: String { "PostgreSQL \(connection.parameterStatus("server_version") ?? "?")" }
    /// What libpq connected to (`PQhost`, `PQport`, `PQdb`), not what the `--source` text implied.
    public var redactedTarget: String { connection.connectedTarget }
    public var databaseName: String {
        (try? connection.query("SELECT current_database()").value(0, 0)) ?? "?"
    }

    public func sourceIdentity(of table: QueueTableName) throws -> SourceIdentity {
        // pg_control_system() may be closed to the role; its own statement keeps a refusal harmless.
        let system = try? connection.query("SELECT system_identifier::text FROM pg_control_system()").value(0, 0)
        return try mapped {
            let found = try connection.query(
                "SELECT current_database(), (SELECT c.oid::text FROM pg_class c JOIN pg_namespace n ON n.oid = "
                    + "c.relnamespace "
                    + "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))",
                [table.schema, table.table])
            return SourceIdentity(
                engine: engine, systemIdentifier: system, database: found.value(0, 0) ?? "?", file: nil,
                schema: table.schema, table: table.table, tableOID: found.value(0, 1))
        }
    }

    public func withConsistentRead<T>(_ body: (String?) throws -> T) throws -> T {
        try mapped { try connection.withReadOnlySnapshot { snapshot in try body(snapshot) } }
    }

    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try mapped { try connection.withTransaction(body) }
    }

    public func qualified(schema: String, table: String) -> String {
        QueueTableName(schema: schema, table: table).quoted
    }

    public func tableExists(schema: String, table: String) throws -> Bool {
        try mapped {
            try connection.query(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')", [schema, table]
            ).value(0, 0) != "0"
        }
    }

    public func columnNames(schema: String, tables: [String]) throws -> [String: Set<String>] {
        // The names go in as one text[] parameter: no quoting of identifiers in a literal.
        let list =
            "{" + tables.map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"" }.joined(separator: ",") + "}"
        return try mapped {
            var found: [String: Set<String>] = [:]
            for row in try connection.query(
                "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = "
                    + "ANY($2::text[]) "
                    + "AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped", [schema, list]
            ).rows {
                found[row[0] ?? "", default: []].insert(row[1] ?? "")
            }
            return found
        }
    }

    public func describeQueueTable(_ name: QueueTableName) throws -> QueueTableDescription {
        try mapped {
            let found = try connection.query(
                "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')", [name.schema, name.table])
            guard let oid = found.value(0, 0) else {
                throw CutoverError(
                    .schema, "table \(name) does not exist in \(redactedTarget)",
                    nextStep: "name the queue table with --table SCHEMA.TABLE")
            }
            let columns = try connection.query(
                """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                       pg_get_expr(d.adbin, d.adrelid),
                       CASE WHEN a.attidentity IN ('a', 'd') THEN a.attidentity::text END
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
                """, [oid]
            ).rows.map {
                QueueTableDescription.Column(
                    name: $0[0]!, type: $0[1]!, isNullable: $0[2] == "t", defaultExpression: $0[3], identity: $0[4])
            }
            let constraints = try connection.query(
                "SELECT conname, contype::text, pg_get_constraintdef(oid) FROM pg_constraint "
                    + "WHERE conrelid = $1::oid ORDER BY contype, conname", [oid]
            ).rows.map { QueueTableDescription.Constraint(name: $0[0]!, kind: $0[1]!, definition: $0[2]!) }
            let indexes = try connection.query(
                """
                SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = \
                i.indexrelid
                WHERE i.indrelid = $1::oid
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = \
                  i.indrelid)
                ORDER BY ic.relname
                """, [oid]
            ).rows.map { QueueTableDescription.Index(name: $0[0]!, definition: $0[1]!) }
            var sequence: QueueTableDescription.Sequence?
            if columns.contains(where: { $0.name == "id" }),
                let sequenceName = try connection.query("SELECT pg_get_serial_sequence($1, 'id')", [name.quoted]).value(
                    0, 0)
            {
                let state = try connection.query("SELECT last_value, is_called FROM \(sequenceName)")
                let isIdentity = columns.first { $0.name == "id" }?.identity != nil
                sequence = .init(
                    name: sequenceName, kind: isIdentity ? "identity" : "serial",
                    lastValue: Int64(state.value(0, 0) ?? "0") ?? 0, isCalled: state.value(0, 1) == "t")
            }
            return QueueTableDescription(
                engine: engine, name: name, columns: columns, constraints: constraints, indexes: indexes,
                sequence: sequence,
                definitionScript: PostgresDefinitionScript.render(
                    name: name, columns: columns, constraints: constraints, indexes: indexes, sequence: sequence))
        }
    }

    public func scanQueueRows(_ description: QueueTableDescription, _ body: (any RawRow) throws -> Void) throws {
        let columns = description.columns.map { QueueTableName.quote($0.name) }.joined(separator: ", ")
        try mapped {
            try connection.copyOut(
                "COPY (SELECT \(columns) FROM \(description.name.quoted) ORDER BY \"id\") TO STDOUT"
            ) { row in try body(row) }
        }
    }

    public func scanQueueRowsInStoredOrder(
        _ description: QueueTableDescription, _ body: (any RawRow) throws -> Void
    ) throws {
        let columns = description.columns.map { QueueTableName.quote($0.name) }.joined(separator: ", ")
        // From the first page: the session has synchronize_seqscans off (see init).
        try mapped {
            try connection.copyOut("COPY \(description.name.quoted) (\(columns)) TO STDOUT") { row in try body(row) }
        }
    }

    public func openCursor(_ sql: String) throws -> any RowCursor {
        cursorCounter += 1
        return try mapped { try PostgresRowCursor(connection: connection, name: "cutover_c\(cursorCounter)", sql: sql) }
    }

    public func execute(_ sql: String) throws {
        try mapped { try connection.execute(sql) }
    }

    public func bulkLoad(into table: String, columns: [String], _ body: (any RowSink) throws -> Void) throws {
        try copyIn(table, columns, options: "", body)
    }

    public func bulkLoadFrozen(
        intoTableCreatedInThisTransaction table: String, columns: [String], _ body: (any RowSink) throws -> Void
    ) throws {
        // Which way the rows went in is logged by the load; the read-back that follows is what proves them.
        _ = try mapped {
            try PostgresFrozenBinaryLoad(connection: connection, table: table, columns: columns).run(
                body, orAsText: { try copyIn(table, columns, options: " WITH (FREEZE)", body) })
        }
    }

    private func copyIn(
        _ table: String, _ columns: [String], options: String, _ body: (any RowSink) throws -> Void
    ) throws {
        let list = columns.map(QueueTableName.quote).joined(separator: ", ")
        try mapped {
            try connection.copyIn("COPY \(table) (\(list)) FROM STDIN\(options)") { writer in
                try body(CopySink(writer: writer))
            }
        }
    }

    public func booleanText(_ value: Bool) -> String { value ? "t" : "f" }

    public func timestampText(_ value: Timestamp, withTimeZone: Bool) -> String {
        value.postgresText + (withTimeZone ? "+00" : "")
    }

    /// Runs `body`, turning wrapper errors into `CutoverError`s with the right exit code.
    func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PostgresError { throw CutoverError(postgres: error) }
    }

    private struct CopySink: RowSink {
        let writer: PostgresCopyWriter
        func write(_ values: [String?]) throws { try writer.writeRow(values) }
        func write(_ row: any RawRow) throws {
            try writer.writeRow(fieldCount: row.fieldCount) { index, write in row.withBytes(index, write) }
        }
    }
}

/// A server-side cursor (DECLARE … FETCH) read in batches; must live inside a transaction.
final class PostgresRowCursor: RowCursor {
    private let connection: PostgresConnection
    private let name: String
    private var buffer: [[String?]] = []
    private var position = 0
    private var exhausted = false
    private static let batchSize = 2_000

    package init(connection: PostgresConnection, name: String, sql: String) throws {
        self.connection = connection
        self.name = name
        try connection.execute("DECLARE \(name) NO SCROLL CURSOR FOR \(sql)")
    }

    /// An open cursor pins its tables (no DROP in the same transaction): close it as soon as it is done.
    deinit { close() }

    func next() throws -> [String?]? {
        if position == buffer.count {
            guard !exhausted else { return nil }
            do {
                buffer = try connection.query("FETCH FORWARD \(Self.batchSize) FROM \(name)").rows
            } catch let error as PostgresError { throw CutoverError(postgres: error) }
            position = 0
            if buffer.count < Self.batchSize { close() }
            if buffer.isEmpty { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    private func close() {
        guard !exhausted else { return }
        exhausted = true
        _ = try? connection.execute("CLOSE \(name)")
    }
}
