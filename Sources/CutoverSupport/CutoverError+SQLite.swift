import SQLite

extension CutoverError {
    /// Runs `body`; an SQLite failure becomes an error of `kind` whose message names `file` (what the
    /// file is and its path) and SQLite's message, with the `SQLiteError` kept as its cause. The one
    /// place the state files (journal, ledger, delivery record) and the snapshot writer map SQLite errors.
    package static func onSQLiteFailure<T>(
        _ kind: Kind, _ file: @autoclosure () -> String, _ body: () throws -> T
    ) throws -> T {
        do { return try body() } catch let error as SQLiteError {
            throw CutoverError(kind, "\(file()): \(error.message)", cause: error)
        }
    }
}
