import CLibPQ

/// A complete query result. Owns its `PGresult*` and clears it on deinit.
public final class PostgresResult {
    private let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { PQclear(raw) }

    public var rowCount: Int { Int(PQntuples(raw)) }
    public var columnCount: Int { Int(PQnfields(raw)) }

    public func columnName(_ column: Int) -> String { String(cString: PQfname(raw, Int32(column))) }

    /// The value in PostgreSQL's text output form, or nil for SQL NULL.
    public func value(_ row: Int, _ column: Int) -> String? {
        guard row < rowCount, column < columnCount else { return nil }
        if PQgetisnull(raw, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(raw, Int32(row), Int32(column)))
    }

    /// All rows as text values (NULL as nil). Use `stream` for results that may be large.
    public var rows: [[String?]] {
        (0..<rowCount).map { row in (0..<columnCount).map { value(row, $0) } }
    }

    /// The number of rows a command touched (`PQcmdTuples`), 0 when not applicable.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(raw))) ?? 0 }
}

/// One row of a streamed result, valid only inside the streaming callback.
public struct PostgresRow {
    let result: OpaquePointer

    public var columnCount: Int { Int(PQnfields(result)) }

    public func value(_ column: Int) -> String? {
        if PQgetisnull(result, 0, Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, 0, Int32(column)))
    }

    public var values: [String?] { (0..<columnCount).map(value) }
}
