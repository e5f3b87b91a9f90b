import CutoverSupport
import Foundation
import SQLite

/// The legacy database in an SQLite file (`sqlite:PATH`): Django's default engine.
/// SQLite has no schemas; a `--table` schema part is ignored.
public final class SQLiteLegacyDatabase: LegacyDatabase {
    let database: SQLiteDatabase

    public let engine = Engine.sqlite

    public init(path: String, create: Bool) throws {
        do {
            database = try SQLiteDatabase(path: path, mode: create ? .create : .readWrite)
            try database.execute("PRAGMA foreign_keys = OFF")
        } catch let error as SQLiteError {
            throw CutoverError(.connection, "cannot open SQLite database \(path): \(error.message)")
        }
    }

    public var engineVersion: String { "SQLite \(SQLiteDatabase.libraryVersion)" }
    public var redactedTarget: String { "sqlite:\(database.path)" }
    public var databaseName: String { (database.path as NSString).lastPathComponent }

    public func sourceIdentity(of table: QueueTableName) throws -> SourceIdentity {
        // The path says where; device and inode say which file: a copy at the same path is another database.
        let absolute = URL(fileURLWithPath: database.path).resolvingSymlinksInPath().path
        var info = stat()
        let file = stat(absolute, &info) == 0 ? "\(info.st_dev):\(info.st_ino)" : nil
        return SourceIdentity(
            engine: engine, systemIdentifier: nil, database: absolute, file: file, schema: "", table: table.table,
            tableOID: nil)
    }

    public func withConsistentRead<T>(_ body: (String?) throws -> T) throws -> T {
        try mapped { try database.withReadTransaction { try body(nil) } }
    }

    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try mapped { try database.withTransaction(body) }
    }

    public func qualified(schema: String, table: String) -> String { QueueTableName.quote(table) }

    public func tableExists(schema: String, table: String) throws -> Bool {
        try mapped {
            try database.query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)])
                .first?.first != .integer(0)
        }
    }

    public func columnNames(schema: String, tables: [String]) throws -> [String: Set<String>] {
        try mapped {
            var found: [String: Set<String>] = [:]
            for table in tables {
                for row in try database.query("SELECT name FROM pragma_table_info(?)", [.text(table)]) {
                    found[table, default: []].insert(row[0].textValue ?? "")
                }
            }
            return found
        }
    }

    public func describeQueueTable(_ name: QueueTableName) throws -> QueueTableDescription {
        try mapped {
            guard
                let create = try database.query(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name.table)]
                ).first?.first?.textValue
            else {
                throw CutoverError(
                    .schema, "table \(name.table) does not exist in \(redactedTarget)",
                    nextStep: "name the queue table with --table TABLE")
            }
            let quoted = QueueTableName.quote(name.table)
            var primaryKey: [String] = []
            let columns = try database.query("PRAGMA table_info(\(quoted))").map {
                row -> QueueTableDescription.Column in
                if row[5].integerValue ?? 0 > 0 { primaryKey.append(row[1].textValue ?? "") }
                return QueueTableDescription.Column(
                    name: row[1].textValue ?? "", type: row[2].textValue ?? "", isNullable: row[3] == .integer(0),
                    defaultExpression: row[4].textValue, identity: nil)
            }
            var constraints: [QueueTableDescription.Constraint] = []
            if !primaryKey.isEmpty {
                constraints.append(
                    .init(
                        name: "\(name.table)_pkey", kind: "p",
                        definition: "PRIMARY KEY (\(primaryKey.joined(separator: ", ")))"))
            }
            for row in try database.query("PRAGMA foreign_key_list(\(quoted))") {
                let (table, from, to) = (row[2].textValue ?? "", row[3].textValue ?? "", row[4].textValue ?? "")
                constraints.append(
                    .init(
                        name: "\(name.table)_\(from)_fkey", kind: "f",
                        definition: "FOREIGN KEY (\(from)) REFERENCES \(table)(\(to))"))
            }
            let indexes = try database.query(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER "
                    + "BY name",
                [.text(name.table)]
            ).map { QueueTableDescription.Index(name: $0[0].textValue ?? "", definition: $0[1].textValue ?? "") }
            var sequence: QueueTableDescription.Sequence?
            if try tableExists(schema: "", table: "sqlite_sequence"),
                let value = try database.query("SELECT seq FROM sqlite_sequence WHERE name = ?", [.text(name.table)])
                    .first?.first?.integerValue
            {
                sequence = .init(
                    name: "sqlite_sequence:\(name.table)", kind: "sqlite_autoincrement", lastValue: value,
                    isCalled: true)
            }
            var script = create + ";\n" + indexes.map { $0.definition + ";\n" }.joined()
            if let sequence {
                script +=
                    "INSERT OR REPLACE INTO sqlite_sequence (name, seq) VALUES "
                    + "(\(QueueTableName.literal(name.table)), \(sequence.lastValue));\n"
            }
            return QueueTableDescription(
                engine: engine, name: name, columns: columns, constraints: constraints, indexes: indexes,
                sequence: sequence, definitionScript: script)
        }
    }

    public func scanQueueRows(_ description: QueueTableDescription, _ body: (any RawRow) throws -> Void) throws {
        try scan(description, orderedBy: "\"id\"", body)
    }

    /// In rowid order: SQLite stores a table as a b-tree on its rowid, which Django's integer `id` is.
    public func scanQueueRowsInStoredOrder(
        _ description: QueueTableDescription, _ body: (any RawRow) throws -> Void
    ) throws {
        try scan(description, orderedBy: "rowid", body)
    }

    private func scan(
        _ description: QueueTableDescription, orderedBy order: String, _ body: (any RawRow) throws -> Void
    ) throws {
        let columns = description.columns.map { QueueTableName.quote($0.name) }.joined(separator: ", ")
        try mapped {
            let statement = try database.prepare(
                "SELECT \(columns) FROM \(QueueTableName.quote(description.name.table)) ORDER BY \(order)")
            let row = SQLiteStatementRow(statement: statement, fieldCount: description.columns.count)
            while try statement.step() { try body(row) }
        }
    }

    public func openCursor(_ sql: String) throws -> any RowCursor {
        try mapped { SQLiteRowCursor(statement: try database.prepare(sql)) }
    }

    public func execute(_ sql: String) throws {
        try mapped { try database.execute(sql) }
    }

    public func bulkLoad(into table: String, columns: [String], _ body: (any RowSink) throws -> Void) throws {
        let list = columns.map(QueueTableName.quote).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try mapped {
            // Indexes on other columns (the register's kennitala) take inserts in random order; with
            // SQLite's default 2 MB cache a million rows spend their time re-reading evicted pages.
            try database.execute("PRAGMA cache_size = -\(Self.bulkLoadCacheMiB * 1_024)")
            let insert = try database.prepare("INSERT INTO \(table) (\(list)) VALUES (\(placeholders))")
            try body(InsertSink(statement: insert))
        }
    }

    /// SQLite has no frozen load: its rows carry no visibility information to set later.
    public func bulkLoadFrozen(
        intoTableCreatedInThisTransaction table: String, columns: [String], _ body: (any RowSink) throws -> Void
    ) throws {
        try bulkLoad(into: table, columns: columns, body)
    }

    static let bulkLoadCacheMiB = 128

    public func booleanText(_ value: Bool) -> String { value ? "1" : "0" }

    /// Django on SQLite stores `str(datetime)` of naive UTC values: `2025-11-24 03:30:05.412000`.
    public func timestampText(_ value: Timestamp, withTimeZone: Bool) -> String {
        let text = value.postgresText
        guard let dot = text.firstIndex(of: ".") else { return text }
        let fraction = text[text.index(after: dot)...]
        return String(text[..<dot]) + "." + fraction + String(repeating: "0", count: 6 - fraction.count)
    }

    func mapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SQLiteError {
            // SQLite opens any file lazily: a file that is not a database, or cannot be opened, is first
            // noticed by a query. That is the operator's --source, not a bug.
            if [SQLiteError.notADatabase, SQLiteError.cannotOpen].contains(error.resultCode) {
                throw CutoverError(
                    .connection, "cannot open SQLite database \(database.path): \(error.message)", cause: error)
            }
            throw CutoverError(.internalFailure, error.description)
        }
    }

    private struct InsertSink: RowSink {
        let statement: SQLiteStatement
        func write(_ values: [String?]) throws {
            try statement.run(values.map(SQLiteValue.init))
        }
    }
}

/// A queue row straight from an SQLite statement, without building Strings for the fast path.
package struct SQLiteStatementRow: RawRow {
    let statement: SQLiteStatement
    package let fieldCount: Int

    package init(statement: SQLiteStatement, fieldCount: Int) {
        self.statement = statement
        self.fieldCount = fieldCount
    }

    package func string(_ field: Int) -> String? { statement.text(field) }
    package func withBytes<R>(_ field: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        try statement.withText(field, body)
    }
}

final class SQLiteRowCursor: RowCursor {
    private let statement: SQLiteStatement
    package init(statement: SQLiteStatement) { self.statement = statement }
    func next() throws -> [String?]? {
        guard try statement.step() else { return nil }
        return (0..<statement.columnCount).map { statement.text($0) }
    }
}
