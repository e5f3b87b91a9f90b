import SQLite

/// Opens a file read-write to change it behind the toolkit's back (tamper tests).
public struct SQLiteTamper {
    public let database: SQLiteDatabase
    public init(path: String) throws { database = try SQLiteDatabase(path: path, mode: .readWrite) }
    public func run(_ sql: String) throws { try database.execute(sql) }
}
