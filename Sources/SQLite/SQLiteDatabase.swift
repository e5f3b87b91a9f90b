import CSQLite

/// One SQLite connection. It owns its `sqlite3*` and closes it in `close()` or on deinit.
/// Not Sendable: one task owns a connection at a time.
public final class SQLiteDatabase {
    public enum OpenMode: Sendable {
        case readOnly
        case readWrite
        /// Read-write, creating the file when absent.
        case create
    }

    var handle: OpaquePointer?
    public let path: String

    public init(path: String, mode: OpenMode) throws {
        self.path = path
        var connection: OpaquePointer?
        let flags: Int32 =
            switch mode {
            case .readOnly: SQLITE_OPEN_READONLY
            case .readWrite: SQLITE_OPEN_READWRITE
            case .create: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
            }
        let code = sqlite3_open_v2(path, &connection, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let connection else {
            let message =
                connection.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(connection)
            throw SQLiteError(resultCode: code, message: message, path: path)
        }
        handle = connection
        sqlite3_extended_result_codes(connection, 1)
        // Another process (a snapshot being read, a seed being written) may hold the lock briefly.
        sqlite3_busy_timeout(connection, 5_000)
    }

    deinit { close() }

    /// Closes the connection. Statements still alive keep it open until they are finalized.
    public func close() {
        if let handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    /// Runs one or more statements without parameters.
    public func execute(_ sql: String) throws {
        let handle = try liveHandle(sql)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(
                resultCode: code & 0xFF, extendedCode: sqlite3_extended_errcode(handle), message: message,
                statement: sql, path: path)
        }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws -> SQLiteStatement {
        let handle = try liveHandle(sql)
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, statement: sql) }
        return SQLiteStatement(database: self, handle: statement, sql: sql)
    }

    /// Runs one statement with arguments and returns every row (for small results).
    @discardableResult
    public func query(_ sql: String, _ arguments: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }

    /// Runs `body` in BEGIN IMMEDIATE … COMMIT, rolling back if it throws.
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        return try finish(body)
    }

    /// Runs `body` in a deferred read transaction: every read sees the same state of the file.
    public func withReadTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN DEFERRED")
        // A deferred transaction takes its read lock at the first read; take it now.
        _ = try query("SELECT count(*) FROM sqlite_master")
        return try finish(body)
    }

    private func finish<T>(_ body: () throws -> T) throws -> T {
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    /// Rows changed by the last statement.
    public var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    public var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// The SQLite library version, e.g. "3.40.1".
    public static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    func liveHandle(_ statement: String?) throws -> OpaquePointer {
        guard let handle else {
            throw SQLiteError(
                resultCode: SQLITE_MISUSE, message: "database is closed", statement: statement, path: path)
        }
        return handle
    }

    func error(_ code: Int32, statement: String?) -> SQLiteError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return SQLiteError(
            resultCode: code & 0xFF, extendedCode: handle.map { sqlite3_extended_errcode($0) } ?? code,
            message: message, statement: statement, path: path)
    }
}
