import CutoverSupport

extension LegacyDatabase {
    /// A table's rows without reading them, for a progress total: PostgreSQL's planner estimate, made as the
    /// planner makes it — the rows per page of the last `ANALYZE` or autovacuum (`pg_class.reltuples` over
    /// `relpages`) times the pages the table has now, so rows added since count too — and marked as an estimate;
    /// SQLite's exact count (it walks the table's smallest index, a few tens of milliseconds at a million rows,
    /// and keeps no statistics to read instead). Nil when PostgreSQL never analysed the table: a full
    /// `count(*)` would be a second read of the whole table for a progress line.
    public func cheapRowCount(of name: QueueTableName) -> (rows: Int, estimated: Bool)? {
        let sql: String
        switch engine {
        case .postgresql:
            let literal =
                "'"
                + qualified(schema: name.schema, table: name.table).replacingOccurrences(
                    of: "'", with: "''") + "'"
            sql =
                "SELECT CASE WHEN reltuples < 0 OR relpages = 0 THEN reltuples::bigint ELSE (reltuples / relpages "
                + "* (pg_relation_size(oid) / current_setting('block_size')::int))::bigint END "
                + "FROM pg_class WHERE oid = to_regclass(\(literal))"
        case .sqlite:
            sql = "SELECT count(*) FROM \(qualified(schema: name.schema, table: name.table))"
        }
        guard let cursor = try? openCursor(sql), let row = try? cursor.next(), let text = row.first ?? nil,
            let rows = Int(text), rows >= 0
        else { return nil }
        return (rows, engine == .postgresql)
    }
}
