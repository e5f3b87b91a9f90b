import Foundation
import SQLite

/// The SQLite files a cutover keeps its state in (the drain journal, the ledger, the delivery record):
/// the folder made when missing, write-ahead logging, the schema created when missing, and errors that
/// name the file and what it is.
package enum StateFile {
    package static func open(
        _ path: String, what: String, synchronous: String = "NORMAL", schema: String
    ) throws -> SQLiteDatabase {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return try CutoverError.onSQLiteFailure(.output, "cannot open the \(what) \(path)") {
            let database = try SQLiteDatabase(path: path, mode: .create)
            try database.execute(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = \(synchronous); PRAGMA busy_timeout = 5000")
            try database.execute(schema)
            return database
        }
    }
}
