import CutoverSupport
import Foundation

/// Turns a `--source` / `--into` string into a database: `sqlite:PATH` for SQLite; a
/// `postgres://` or `postgresql://` URI, or a `key=value` conninfo string, for PostgreSQL.
public enum LegacyDatabaseOpener {
    public enum Location: Equatable, Sendable {
        case postgres(String)
        case sqlite(path: String)
    }

    public static func location(of text: String) throws -> Location {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else {
                throw CutoverError(.input, "sqlite: needs a file path, e.g. sqlite:legacy.sqlite")
            }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") || text.contains("=") {
            return .postgres(text)
        }
        throw CutoverError(
            .input, "cannot tell what database '\(text.prefix(40))' is",
            nextStep: "use sqlite:PATH, postgresql://USER@HOST:PORT/DB, or a conninfo string like 'host=… dbname=…'")
    }

    /// Opens a database. `create` makes a missing SQLite file (for seeding); reads never create one.
    public static func open(_ text: String, create: Bool = false) throws -> any LegacyDatabase {
        switch try location(of: text) {
        case .postgres(let connectionString): return try PostgresLegacyDatabase(connectionString: connectionString)
        case .sqlite(let path):
            if !create && !FileManager.default.fileExists(atPath: path) {
                throw CutoverError(
                    .connection, "SQLite database \(path) does not exist",
                    nextStep: "check the path, or create one with `cutover demo seed --into sqlite:\(path)`")
            }
            return try SQLiteLegacyDatabase(path: path, create: create)
        }
    }

    /// What a dry run of a write can check without writing: an `sqlite:` target that exists must be a
    /// file holding an SQLite database (a directory, or any other file, would fail the real run).
    public static func checkWritableTarget(_ text: String) throws {
        guard case .sqlite(let path) = try location(of: text) else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard !isDirectory.boolValue else {
            throw CutoverError(.output, "\(path) is a directory, not an SQLite database file")
        }
        let header = FileManager.default.contents(atPath: path)?.prefix(16) ?? Data()
        // An empty file is an empty database to SQLite; anything else must start with SQLite's header.
        guard header.isEmpty || header == Data("SQLite format 3\0".utf8) else {
            throw CutoverError(
                .output, "\(path) exists and is not an SQLite database",
                nextStep: "name another file, or remove this one")
        }
    }
}
