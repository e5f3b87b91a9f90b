import LegacySync

/// `queue/restore-sqlite.sql` in the archive of an SQLite source: what the `sqlite3` program alone needs
/// to rebuild the queue table — the table's own DDL as SQLite stored it, then one `INSERT` per row, in
/// one transaction. A PostgreSQL source gets `restore.sql` for `psql` and COPY text instead.
///
/// Why `INSERT` statements rather than `.import` of `rows.copy`: `.import` cannot tell NULL from an
/// empty string, and the hand-written flavour's nullable columns can hold either. The rows are
/// written as text literals, as the snapshot holds them; the columns' declared types convert them back
/// (type affinity: `'42'` into an `INTEGER` column is stored as the integer 42), which is also what
/// `cutover restore --into sqlite:` does when it binds the same text.
public enum SQLiteRestoreScript {
    /// Writes the whole script through `write`, row by row (no String per row).
    public static func write(
        snapshot: SnapshotFile, description: QueueTableDescription,
        _ write: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let columns = description.columns.map { QueueTableName.quote($0.name) }.joined(separator: ", ")
        var header = """
            -- Rebuilds the queue table \(description.name.table) with the sqlite3 program alone:
            --     sqlite3 DATABASE < restore-sqlite.sql
            -- DATABASE may be a new file. A table of that name must not exist there yet. Foreign keys
            -- (to membership_comrade) are not enforced by sqlite3 unless PRAGMA foreign_keys = ON.
            .bail on
            BEGIN;

            """
        header += description.definitionScript
        let prefix = Array("INSERT INTO \(QueueTableName.quote(description.name.table)) (\(columns)) VALUES (".utf8)
        try header.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
        var line: [UInt8] = []
        try snapshot.forEachRawRow("SELECT * FROM queue_rows ORDER BY rowid") { row in
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: prefix)
            for field in 0..<row.fieldCount {
                if field > 0 { line.append(contentsOf: [44, 32]) }  // ", "
                row.withBytes(field) { bytes in
                    guard let bytes else { return line.append(contentsOf: Array("NULL".utf8)) }
                    Self.appendLiteral(bytes, to: &line)
                }
            }
            line.append(contentsOf: [41, 59, 10])  // ");\n"
            try line.withUnsafeBytes(write)
        }
        let trailer = Array("COMMIT;\n".utf8)
        try trailer.withUnsafeBytes(write)
    }

    /// An SQL string literal: single quotes around the bytes, each quote doubled. Newlines and other
    /// control characters stay as they are: inside a literal, sqlite3 reads them verbatim.
    static func appendLiteral(_ bytes: UnsafeRawBufferPointer, to line: inout [UInt8]) {
        line.append(39)
        for byte in bytes {
            line.append(byte)
            if byte == 39 { line.append(39) }
        }
        line.append(39)
    }
}
