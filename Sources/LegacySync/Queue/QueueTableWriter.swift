import CutoverSupport

/// The queue table operations the drain and verify need, on either engine: the high-water mark, the
/// unresolved rows below it per member, and the bookkeeping Django's endpoints did (mark synced,
/// record a failure). Only rows at or below the mark are ever touched. Each call is its own
/// transaction (PostgreSQL cursors live inside one); callers do not nest them.
public final class QueueTableWriter {
    let database: any LegacyDatabase
    public let description: QueueTableDescription
    let table: String
    let decoder: QueueRowDecoder
    private let timestampsHaveTimeZone: Bool

    public init(database: any LegacyDatabase, table name: QueueTableName) throws {
        self.database = database
        description = try database.describeQueueTable(name)
        decoder = try QueueRowDecoder(description)
        table = database.qualified(schema: name.schema, table: name.table)
        let type = description.columns[description.columnIndex("created_at")!].type.lowercased()
        timestampsHaveTimeZone = type.contains("with time zone") || type == "timestamptz"
    }

    /// The largest id now (0 for an empty table).
    public func highWaterMark() throws -> Int64 {
        Int64(try scalar("SELECT coalesce(max(id), 0) FROM \(table)") ?? "0") ?? 0
    }

    /// Rows written after the mark.
    public func countAbove(_ mark: Int64) throws -> Int {
        Int(try scalar("SELECT count(*) FROM \(table) WHERE id > \(mark)") ?? "0") ?? 0
    }

    /// Rows at or below the mark in each status.
    public func statusCounts(upTo mark: Int64) throws -> [String: Int] {
        try database.withTransaction {
            var counts: [String: Int] = [:]
            let cursor = try database.openCursor(
                "SELECT sync_status, count(*) FROM \(table) WHERE id <= \(mark) GROUP BY sync_status")
            while let row = try cursor.next() { counts[row[0] ?? "(null)"] = Int(row[1] ?? "0") ?? 0 }
            return counts
        }
    }

    /// Unresolved rows at or below the mark — pending (and failed, when asked; `syncing` is a pending
    /// row a crashed run left behind) — ordered by member, then oldest first. Malformed rows come as
    /// problems, never thrown. `values` are the row's text in table column order, which `decode` reads
    /// the same way again (the drain keeps them on disk until their batch comes up).
    public func unresolvedRows(
        upTo mark: Int64, includeFailed: Bool,
        _ body: (Result<QueueRow, RowProblem>, _ kennitala: String, _ values: [String?]) throws -> Void
    ) throws {
        let statuses = includeFailed ? "'pending', 'syncing', 'failed'" : "'pending', 'syncing'"
        let columns = description.columns.map(\.name).joined(separator: ", ")
        try database.withTransaction {
            let cursor = try database.openCursor(
                "SELECT \(columns) FROM \(table) WHERE id <= \(mark) AND (sync_status IN (\(statuses)) OR sync_status "
                    + "IS NULL) "
                    + "ORDER BY replace(coalesce(ssn, ''), '-', ''), created_at, id")
            while let values = try cursor.next() {
                let row = StringRow(values)
                try body(
                    decoder.decode(row), Kennitala.normalised(row.string(description.columnIndex("ssn")!) ?? ""), values
                )
            }
        }
    }

    /// A row's values, in table column order as `unresolvedRows` gave them, read as the model means them.
    /// - Parameter parsingFieldsChanged: false leaves `fieldsChanged` empty (`QueueRowDecoder.decode`).
    public func decode(_ values: [String?], parsingFieldsChanged: Bool = true) -> Result<QueueRow, RowProblem> {
        decoder.decode(StringRow(values), parsingFieldsChanged: parsingFieldsChanged)
    }

    /// What Django's changes endpoint returned: pending rows created after `since`, oldest first.
    /// Malformed rows are left out, as the endpoint's serializer would have failed on them.
    ///
    /// `since` and `created_at` are compared as instants, here and not in SQL: on SQLite the column is
    /// text, and a restored or hand-made table stores `2025-11-24T05:00:00+02:00` or a value without a
    /// zone, which sort as text in an order the instants do not have (Django's ORM compared instants).
    public func pendingRows(createdAfter since: Timestamp) throws -> [QueueRow] {
        try database.withTransaction {
            let columns = description.columns.map(\.name).joined(separator: ", ")
            let cursor = try database.openCursor("SELECT \(columns) FROM \(table) WHERE sync_status = 'pending'")
            var rows: [QueueRow] = []
            while let values = try cursor.next() {
                if case .success(let row) = decoder.decode(StringRow(values)), row.createdAt > since {
                    rows.append(row)
                }
            }
            return rows.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    /// Every row with an id above `id`, in id order, whatever its status (the shadow run follows the queue
    /// as it fills); malformed rows come as problems.
    public func rows(after id: Int64, limit: Int = 10_000) throws -> [Result<QueueRow, RowProblem>] {
        try select("WHERE id > \(id) ORDER BY id LIMIT \(limit)")
    }

    /// Rows created in a window, in creation order.
    public func rows(createdFrom start: Timestamp, until end: Timestamp) throws -> [Result<QueueRow, RowProblem>] {
        try select("WHERE created_at >= \(literal(start)) AND created_at <= \(literal(end)) ORDER BY created_at, id")
    }

    private func select(_ clause: String) throws -> [Result<QueueRow, RowProblem>] {
        try database.withTransaction {
            let cursor = try database.openCursor(
                "SELECT \(description.columns.map(\.name).joined(separator: ", ")) FROM \(table) \(clause)")
            var rows: [Result<QueueRow, RowProblem>] = []
            while let values = try cursor.next() { rows.append(decoder.decode(StringRow(values))) }
            return rows
        }
    }

    /// What Django's mark-synced endpoint did: flips only rows still unresolved, at or below the mark.
    /// `note` replaces the row's error_message: a row settled without being written (superseded, orphan)
    /// says so, instead of keeping an old error that no longer describes it.
    public func markSynced(_ ids: [Int64], at time: Timestamp, mark: Int64, note: String? = nil) throws {
        guard !ids.isEmpty else { return }
        try database.execute(
            "UPDATE \(table) SET sync_status = 'synced', synced_at = \(literal(time))"
                + (note.map { ", error_message = \(QueueTableName.literal($0))" } ?? "") + " "
                + "WHERE id IN (\(ids.map(String.init).joined(separator: ", "))) AND id <= \(mark) AND sync_status <> "
                + "'synced'"
        )
    }

    /// What Path A's mark-synced endpoint did (LEGACY.md §4): flips only rows still `pending`, and says
    /// how many. (`markSynced` is the drain's own bookkeeping, which also resolves failed rows it
    /// retried.) `dryRun` counts without writing.
    public func markPendingSynced(_ ids: [Int64], at time: Timestamp, dryRun: Bool = false) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let wanted = "id IN (\(ids.map(String.init).joined(separator: ", "))) AND sync_status = 'pending'"
        return try database.withTransaction {
            // The count's cursor is done with before the UPDATE runs on the same connection.
            let counted: String? = try {
                let cursor = try database.openCursor("SELECT count(*) FROM \(table) WHERE \(wanted)")
                return try cursor.next()?.first ?? nil
            }()
            let flipped = Int(counted ?? "0") ?? 0
            if !dryRun {
                try database.execute(
                    "UPDATE \(table) SET sync_status = 'synced', synced_at = \(literal(time)) WHERE \(wanted)")
            }
            return flipped
        }
    }

    /// A failed write: the error text and one more retry — only the retry bookkeeping; the status stays
    /// as it was, so the row is still work to do.
    public func recordFailure(_ ids: [Int64], message: String, mark: Int64) throws {
        guard !ids.isEmpty else { return }
        try database.execute(
            "UPDATE \(table) SET error_message = \(QueueTableName.literal(message)), "
                + "retry_count = coalesce(retry_count, 0) + 1 "
                + "WHERE id IN (\(ids.map(String.init).joined(separator: ", "))) AND id <= \(mark) AND sync_status <> "
                + "'synced'"
        )
    }

    /// Rows still unresolved at or below the mark: their ids, for the proof.
    public func unresolvedIDs(upTo mark: Int64) throws -> [Int64] {
        try database.withTransaction {
            var ids: [Int64] = []
            let cursor = try database.openCursor(
                "SELECT id FROM \(table) WHERE id <= \(mark) AND (sync_status IS NULL OR sync_status <> 'synced') "
                    + "ORDER BY id"
            )
            while let row = try cursor.next() { if let id = Int64(row[0] ?? "") { ids.append(id) } }
            return ids
        }
    }

    /// The members (normalised kennitalas) with a well-formed row, of any status, that `including` takes:
    /// a drill-down's window. Compared here as instants, not in SQL, for the reason `pendingRows` gives.
    public func kennitalas(ofRowsWhere including: (QueueRow) -> Bool) throws -> Set<String> {
        try database.withTransaction {
            let columns = description.columns.map(\.name).joined(separator: ", ")
            let cursor = try database.openCursor("SELECT \(columns) FROM \(table)")
            var kennitalas: Set<String> = []
            while let values = try cursor.next() {
                if case .success(let row) = decoder.decode(StringRow(values)), including(row) {
                    kennitalas.insert(Kennitala.normalised(row.ssn))
                }
            }
            return kennitalas
        }
    }

    private func literal(_ time: Timestamp) -> String {
        QueueTableName.literal(database.timestampText(time, withTimeZone: timestampsHaveTimeZone))
    }

    private func scalar(_ sql: String) throws -> String? {
        try database.withTransaction { try database.openCursor(sql).next()?.first ?? nil }
    }
}
