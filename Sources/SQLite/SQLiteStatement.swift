import CSQLite

/// A compiled statement. Owns its `sqlite3_stmt*` and finalizes it on deinit; keeps its database alive.
public final class SQLiteStatement {
    private let database: SQLiteDatabase
    private let handle: OpaquePointer
    public let sql: String

    init(database: SQLiteDatabase, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `values` to `?1`, `?2`, ….
    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    public func bind(_ value: SQLiteValue, at index: Int) throws {
        let position = Int32(index)
        let code: Int32 =
            switch value {
            case .null: sqlite3_bind_null(handle, position)
            case .integer(let number): sqlite3_bind_int64(handle, position, number)
            case .real(let number): sqlite3_bind_double(handle, position, number)
            case .text(let text): sqlite3_bind_text(handle, position, text, -1, csqlite_transient())
            case .blob(let bytes):
                bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob(handle, position, raw.baseAddress, Int32(raw.count), csqlite_transient())
                }
            }
        guard code == SQLITE_OK else { throw database.error(code, statement: sql) }
    }

    /// Binds UTF-8 bytes as text, or NULL when `bytes` is nil. The fast path for streaming rows from
    /// another database without building Strings. With `copy: false` SQLite reads the bytes in place:
    /// they must stay valid and unchanged until the statement has stepped.
    public func bindText(_ bytes: UnsafeRawBufferPointer?, at index: Int, copy: Bool = true) throws {
        let position = Int32(index)
        let code: Int32
        if let bytes {
            // A zero-length buffer may have no base address; SQLite needs a pointer for '' (not NULL).
            let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
            code = sqlite3_bind_text(
                handle, position, base.assumingMemoryBound(to: CChar.self),
                Int32(bytes.count), copy ? csqlite_transient() : nil)
        } else {
            code = sqlite3_bind_null(handle, position)
        }
        guard code == SQLITE_OK else { throw database.error(code, statement: sql) }
    }

    /// Steps once: true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(code, statement: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to completion with `values` (for inserts in a loop).
    public func run(_ values: [SQLiteValue]) throws {
        try bind(values)
        while try step() {}
    }

    /// Resets for another run, keeping bindings.
    public func reset() { sqlite3_reset(handle) }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(_ index: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(index))) }

    /// The declared type of a result column (`INTEGER`, `varchar(10)`, …), when it comes from a table.
    public func declaredType(_ index: Int) -> String? {
        sqlite3_column_decltype(handle, Int32(index)).map { String(cString: $0) }
    }

    public func value(_ index: Int) -> SQLiteValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let base = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default:
            return .text(text(index) ?? "")
        }
    }

    /// The column as text (SQLite converts numbers), or nil for NULL.
    public func text(_ index: Int) -> String? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let base = sqlite3_column_text(handle, column)
        else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    /// The column's text bytes without building a String (nil for NULL); valid only inside `body`.
    public func withText<R>(_ index: Int, _ body: (UnsafeRawBufferPointer?) throws -> R) rethrows -> R {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let base = sqlite3_column_text(handle, column)
        else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: base, count: Int(sqlite3_column_bytes(handle, column))))
    }

    public func int64(_ index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    public var row: [SQLiteValue] { (0..<columnCount).map(value) }
}
