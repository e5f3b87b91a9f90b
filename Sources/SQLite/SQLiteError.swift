/// The one error type of the SQLite wrapper: SQLite's result code, its message, the statement and
/// the database file. Never row values.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// SQLite's primary result code (`SQLITE_BUSY` = 5, `SQLITE_CONSTRAINT` = 19, …).
    public let resultCode: Int32
    /// The extended result code, when there is one.
    public let extendedCode: Int32
    public let message: String
    public let statement: String?
    public let path: String

    public init(resultCode: Int32, extendedCode: Int32? = nil, message: String, statement: String? = nil, path: String)
    {
        self.resultCode = resultCode
        self.extendedCode = extendedCode ?? resultCode
        self.message = message
        self.statement = statement
        self.path = path
    }

    /// `SQLITE_CANTOPEN`: the file could not be opened (a directory, a missing folder, no permission).
    public static let cannotOpen: Int32 = 14
    /// `SQLITE_NOTADB`: the file is not an SQLite database.
    public static let notADatabase: Int32 = 26

    public var description: String {
        var text = "SQLite (\(path)): \(message) [code \(resultCode)]"
        if let statement { text += "\n  statement: \(statement.prefix(500))" }
        return text
    }
}
