import CutoverSupport
import Postgres

/// `bulkLoadFrozen` on PostgreSQL: rows given as text go in through binary COPY when every column is of a
/// type `PostgresBinaryColumn` encodes, so the server parses no integers or timestamps (about a third less
/// server CPU for the load, Benchmarks/results/issue21-restore-statement-log.md); otherwise as text.
///
/// A value whose text the encoder does not take (a form PostgreSQL would parse but never prints, say `' 7'`)
/// cannot be known before its row comes, and an aborted COPY aborts its transaction. So the binary COPY
/// runs under a savepoint, and such a value rolls back to it and loads every row again as text: the table
/// ends up as text COPY would leave it, whichever way its rows went in. What proves the rows is the caller's
/// read-back, not this choice.
package struct PostgresFrozenBinaryLoad {
    /// How the rows went in.
    package enum Format: Equatable, Sendable {
        case binary
        /// A column's type has no encoder, or the table is older than the transaction.
        case text
        /// A value's text was refused by its encoder: every row went in again as text.
        case textAfterRefusal
    }

    let connection: PostgresConnection
    /// Schema-qualified and quoted.
    let table: String
    let columns: [String]

    static let savepoint = "cutover_binary_load"

    package init(connection: PostgresConnection, table: String, columns: [String]) {
        self.connection = connection
        self.table = table
        self.columns = columns
    }

    /// Loads the rows `body` writes; `asText` is the text COPY … FREEZE of the same rows.
    @discardableResult
    package func run(_ body: (any RowSink) throws -> Void, orAsText asText: () throws -> Void) throws -> Format {
        guard let types = try binaryColumns() else {
            Log.restore.debug("loading \(table) as COPY text: a column's type has no binary encoder here")
            try asText()
            return .text
        }
        let list = columns.map(QueueTableName.quote).joined(separator: ", ")
        // COPY FREEZE takes only a table created or truncated in the current subtransaction, and the savepoint
        // starts a new one: the TRUNCATE of the (empty) new table lets it freeze the rows there.
        try connection.execute("SAVEPOINT \(Self.savepoint); TRUNCATE \(table)")
        var format = Format.binary
        do {
            try connection.copyInBinary(
                "COPY \(table) (\(list)) FROM STDIN (FORMAT binary, FREEZE)", columns: types
            ) { writer in try body(BinarySink(writer: writer)) }
        } catch let error as PostgresError where error.code == .valueNotBinary {
            Log.restore.info("loading \(table) again as COPY text: \(error.message)")
            try connection.execute("ROLLBACK TO SAVEPOINT \(Self.savepoint); TRUNCATE \(table)")
            try asText()
            format = .textAfterRefusal
        }
        try connection.execute("RELEASE SAVEPOINT \(Self.savepoint)")
        return format
    }

    /// Each column's encoder, in `columns`' order; nil when one has none, or when the table was not created
    /// in this transaction or already holds rows (the TRUNCATE above must never empty a table that holds rows
    /// of its own: the text path's FREEZE refuses an older table instead). The catalog row's xmin alone would
    /// also pass an older table altered in this transaction, hence the look for a row.
    private func binaryColumns() throws -> [PostgresBinaryColumn]? {
        guard try connection.query("SELECT EXISTS (SELECT 1 FROM \(table))").rows.first?[0] == "f" else { return nil }
        let result = try connection.query(
            """
            SELECT a.attname, a.atttypid::int8, c.xmin = pg_current_xact_id()::xid
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE c.oid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
            """, [table])
        var types: [String: PostgresBinaryColumn] = [:]
        for row in result.rows {
            guard row[2] == "t" else { return nil }
            if let name = row[0], let oid = row[1].flatMap({ UInt32($0) }),
                let type = PostgresBinaryColumn(typeOID: oid)
            {
                types[name] = type
            }
        }
        var ordered: [PostgresBinaryColumn] = []
        for column in columns {
            guard let type = types[column] else { return nil }
            ordered.append(type)
        }
        return ordered
    }

    private struct BinarySink: RowSink {
        let writer: PostgresBinaryCopyWriter

        func write(_ values: [String?]) throws {
            try writer.writeRow(fieldCount: values.count) { index, write in
                guard var value = values[index] else { return write(nil) }
                value.withUTF8 { write(UnsafeRawBufferPointer($0)) }
            }
        }

        func write(_ row: any RawRow) throws {
            try writer.writeRow(fieldCount: row.fieldCount) { index, write in row.withBytes(index, write) }
        }
    }
}
