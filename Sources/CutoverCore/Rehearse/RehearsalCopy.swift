import CutoverSupport
import Firestore
import Foundation
import LegacySync
import SQLite
import Snapshots

/// The copies `rehearse --source` works on: the source's snapshot restored into a scratch SQLite file
/// (the queue table's rows exactly as captured, and the register's tables the sync code reads) and the
/// snapshot's Firestore collections restored into a scratch embedded store. The source and its store
/// are only read — the snapshot already holds the queue and the documents, the register tables are read
/// in one consistent read — so the drain, retirement and rollback that follow cannot touch them.
///
/// Why a file of our own rather than `Restorer`: the snapshot's DDL is in the source's dialect, and a
/// PostgreSQL table cannot be replayed into SQLite; the columns are declared in SQLite's types instead,
/// and the next snapshot (of the copy) is compared with the source's, so a value that does not survive
/// the move is caught, not rehearsed on.
struct RehearsalCopy {
    struct Result: Sendable {
        var queueRows = 0
        var registerRows = 0
        var registerTables = 0
        /// collection → documents restored.
        var documents: [String: Int] = [:]
    }

    /// The source's snapshot, taken with its Firestore collections.
    let snapshot: SnapshotFile
    let databasePath: String
    let storePath: String

    func run(registerFrom source: any LegacyDatabase, schema: String) async throws -> Result {
        guard snapshot.manifest.values["firestore_collections"] != nil else {
            throw CutoverError(
                .input,
                "\(snapshot.path) holds no Firestore collections: there is no copy of the store to rehearse on",
                nextStep: "name the source's document store with --target STORE (it is only read)")
        }
        for path in [databasePath, storePath] {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        var result = Result()
        try CutoverError.onSQLiteFailure(.output, "cannot write the rehearsal copy \(databasePath)") {
            let file = try SQLiteDatabase(path: databasePath, mode: .create)
            defer { file.close() }
            try file.withTransaction {
                result.queueRows = try copyQueue(into: file)
                (result.registerTables, result.registerRows) = try copyRegister(
                    from: source, schema: schema, into: file)
            }
        }
        let store = try DocumentStoreOpener.open("embedded:\(storePath)")
        result.documents = try await FirestoreRestorer(snapshot: snapshot, replace: true).run(into: store).written
        return result
    }

    /// The queue's rows verbatim, as text, into a table with the same columns in SQLite's types.
    private func copyQueue(into file: SQLiteDatabase) throws -> Int {
        let description = try snapshot.describeQueue()
        let columns = description.columns.map { column -> String in
            let name = QueueTableName.quote(column.name)
            if column.name == "id" { return "\(name) integer NOT NULL PRIMARY KEY AUTOINCREMENT" }
            return "\(name) \(Self.sqliteType(column.type))\(column.isNullable ? "" : " NOT NULL")"
        }
        try file.execute(
            "CREATE TABLE \(QueueTableName.quote(description.name.table)) (\(columns.joined(separator: ", ")))")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let insert = try file.prepare(
            "INSERT INTO \(QueueTableName.quote(description.name.table)) VALUES (\(placeholders))")
        var rows = 0
        try snapshot.forEachRow("SELECT * FROM queue_rows ORDER BY rowid") { values in
            try insert.run(values.map(SQLiteValue.init))
            rows += 1
        }
        return rows
    }

    /// Each register table the sync code reads (LEGACY.md §3), with the columns it reads and its `id`,
    /// read in one consistent view. Absent tables stay absent, so the copy degrades as the source does.
    private func copyRegister(
        from source: any LegacyDatabase, schema: String, into file: SQLiteDatabase
    ) throws -> (Int, Int) {
        var wanted: [String: [String]] = [RegisterTables.comrade: RegisterTables.comradeColumns]
        for part in RegisterPart.allCases {
            for need in part.needs {
                wanted[need.table, default: []] += need.columns.filter { !(wanted[need.table] ?? []).contains($0) }
            }
        }
        let tables = RegisterTables.read
        let present = try source.columnNames(schema: schema, tables: tables)
        return try source.withConsistentRead { _ -> (Int, Int) in
            var (copied, rows) = (0, 0)
            for table in tables {
                guard let existing = present[table], !existing.isEmpty else { continue }
                let columns = (["id"] + (wanted[table] ?? [])).reduce(into: [String]()) { list, name in
                    if existing.contains(name) && !list.contains(name) { list.append(name) }
                }
                let types = try declaredTypes(source, schema: schema, table: table)
                let definitions = columns.map { name -> String in
                    let type = Self.sqliteType(types[name] ?? "")
                    return "\(QueueTableName.quote(name)) \(type)\(name == "id" ? " PRIMARY KEY" : "")"
                }
                try file.execute("CREATE TABLE \(QueueTableName.quote(table)) (\(definitions.joined(separator: ", ")))")
                let booleans = columns.map { Self.sqliteType(types[$0] ?? "") == "bool" }
                let insert = try file.prepare(
                    "INSERT INTO \(QueueTableName.quote(table)) VALUES "
                        + "(\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))")
                let cursor = try source.openCursor(
                    "SELECT \(columns.map(QueueTableName.quote).joined(separator: ", ")) FROM "
                        + source.qualified(schema: schema, table: table))
                while let row = try cursor.next() {
                    // PostgreSQL answers booleans as t/f, which SQLite would read as false in a WHERE.
                    try insert.run(
                        zip(row, booleans).map { value, boolean in
                            guard boolean, let value else { return SQLiteValue(value) }
                            return .integer(["t", "true", "1"].contains(value) ? 1 : 0)
                        })
                    rows += 1
                }
                copied += 1
            }
            return (copied, rows)
        }
    }

    /// Column → declared type, as the source names it.
    private func declaredTypes(_ source: any LegacyDatabase, schema: String, table: String) throws -> [String: String] {
        let sql =
            source.engine == .postgresql
            ? "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                + "\(QueueTableName.literal(schema)) AND table_name = \(QueueTableName.literal(table))"
            : "SELECT name, type FROM pragma_table_info(\(QueueTableName.literal(table)))"
        var types: [String: String] = [:]
        let cursor = try source.openCursor(sql)
        while let row = try cursor.next() { types[row[0] ?? ""] = row[1] ?? "" }
        return types
    }

    /// A declared type SQLite reads the same way the queue contract and the register reader expect:
    /// integers keep their numeric order (ids are merged in order), booleans become 1/0, times and
    /// everything else stay text exactly as the source wrote them.
    static func sqliteType(_ type: String) -> String {
        let type = type.lowercased()
        if type.contains("bool") { return "bool" }
        if type.contains("int") || type == "serial" || type == "bigserial" { return "integer" }
        if type.contains("time") || type.contains("date") { return "datetime" }
        return "text"
    }
}
