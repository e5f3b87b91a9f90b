import CutoverSupport

extension LegacyDatabase {
    /// `count(*)`: a full read of the table (a restore's refusal names how many rows it would replace).
    public func exactRowCount(of name: QueueTableName) throws -> Int {
        let cursor = try openCursor("SELECT count(*) FROM \(qualified(schema: name.schema, table: name.table))")
        return try cursor.next().flatMap { $0.first ?? nil }.flatMap { Int($0) } ?? 0
    }

    /// The last value of the sequence behind `id` (serial or identity); nil on SQLite or without one.
    public func idSequenceValue(of table: QueueTableName) throws -> Int64? {
        guard engine == .postgresql,
            let name = try openCursor(
                "SELECT pg_get_serial_sequence(\(QueueTableName.literal(table.quoted)), 'id')"
            ).next()?.first ?? nil
        else { return nil }
        let value = try openCursor("SELECT last_value FROM \(name)").next()?.first ?? nil
        return value.flatMap { Int64($0) }
    }
}
