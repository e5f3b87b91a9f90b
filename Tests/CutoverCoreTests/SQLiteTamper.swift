import SQLite

/// Opens a file read-write to change it behind the toolkit's back (tamper tests).
struct SQLiteTamper {
    let database: SQLiteDatabase
    init(path: String) throws { database = try SQLiteDatabase(path: path, mode: .readWrite) }
    func run(_ sql: String) throws { try database.execute(sql) }
}
